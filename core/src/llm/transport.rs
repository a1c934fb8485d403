//! How Confab reaches a provider: one HTTP client that never follows a redirect to another
//! origin, and a rule for plain `http://`.
//!
//! A redirect to another host would resend the whole conversation and the provider's extra
//! headers there (reqwest drops only `Authorization` on the way), so it is refused and said
//! so. Plain `http://` carries the key in clear text: it is allowed only where the traffic
//! stays on this computer or the local network (Ollama, LM Studio, a server on the LAN).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// How long to wait for a TCP (and TLS) connection to the provider.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Redirects followed within one origin (e.g. a path moved); more is a loop.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client all provider requests share (one connection pool for the app).
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::custom(same_origin_only))
        .build()
        .map_err(|error| Error::internal("HTTP client", error))
}

fn same_origin_only(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let Some(first) = attempt.previous().first() else {
        return attempt.stop();
    };
    if attempt.url().origin() != first.origin() {
        let error = OtherOrigin(attempt.url().origin().ascii_serialization());
        return attempt.error(error);
    }
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(OtherOrigin("a redirect loop".into()));
    }
    attempt.follow()
}

/// A redirect Confab refused; its text is what the user reads.
#[derive(Debug)]
pub struct OtherOrigin(String);

impl std::fmt::Display for OtherOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the provider redirected to another host: {}; Confab does not follow it \
             (check the provider's base URL)",
            self.0
        )
    }
}

impl std::error::Error for OtherOrigin {}

/// The refused redirect behind a reqwest error, if that is what it is.
pub(super) fn refused_redirect(error: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(other) = cause.downcast_ref::<OtherOrigin>() {
            return Some(other.to_string());
        }
        source = cause.source();
    }
    None
}

/// `Ok` unless `url` is plain `http://` to a host outside this computer and the local
/// network: loopback, private and link-local addresses, `localhost` and `*.local` names.
pub fn check_plain_http(url: &reqwest::Url) -> Result<()> {
    if url.scheme() != "http" {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    if is_local_host(host) {
        return Ok(());
    }
    // Plain http:// is allowed only for this computer and the local network: anywhere else
    // it would send the API key and the conversation unencrypted.
    Err(Error::invalid(
        Problem::new("baseUrl", Rule::PlainHttp).value(host),
    ))
}

/// Whether `url` points at this computer or the local network (no one bills for it).
pub fn is_local_url(url: &reqwest::Url) -> bool {
    is_local_host(url.host_str().unwrap_or_default())
}

fn is_local_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => is_local_v4(v4),
            IpAddr::V6(v6) => is_local_v6(v6),
        };
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local")
}

fn is_local_v4(ip: Ipv4Addr) -> bool {
    // 0.0.0.0 reaches this computer when connected to.
    ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
}

fn is_local_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = first & 0xffc0 == 0xfe80; // fe80::/10
    ip.is_loopback()
        || ip.is_unspecified()
        || unique_local
        || link_local
        || ip.to_ipv4_mapped().is_some_and(is_local_v4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(url: &str) -> bool {
        check_plain_http(&reqwest::Url::parse(url).expect("a URL")).is_ok()
    }

    #[test]
    fn plain_http_is_for_this_computer_and_the_local_network_only() {
        for url in [
            "http://127.0.0.1:11434/v1",
            "http://127.8.9.10/v1",
            "http://localhost:1234/v1",
            "http://LOCALHOST./v1",
            "http://ollama.localhost/v1",
            "http://[::1]:8080/v1",
            "http://10.1.2.3/v1",
            "http://172.16.0.1/v1",
            "http://172.31.255.255/v1",
            "http://192.168.1.20:8000/v1",
            "http://169.254.3.4/v1",
            "http://[fd12:3456::1]/v1",
            "http://[fe80::1]/v1",
            "http://[::ffff:192.168.0.1]/v1",
            "http://gpu-box.local:8080/v1",
            "https://api.openai.com/v1",
            "https://93.184.216.34/v1",
        ] {
            assert!(allowed(url), "{url} is allowed");
        }
        for url in [
            "http://api.openai.com/v1",
            "http://93.184.216.34/v1",
            "http://172.32.0.1/v1",
            "http://8.8.8.8/v1",
            "http://[2001:db8::1]/v1",
            "http://[::ffff:8.8.8.8]/v1",
            "http://local/v1",
            "http://notlocal.com/v1",
            "http://example.local.evil.com/v1",
        ] {
            assert!(!allowed(url), "{url} is refused");
        }
    }
}
