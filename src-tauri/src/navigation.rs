//! What may load in the app's window. Replies are untrusted and full of links: the window
//! shows Confab and nothing else. Only the app's own origin loads; a web or mail link is
//! handed to the system browser through the same check as `open_url`; anything else
//! (other schemes, new windows, downloads) is refused. The rule is stated here instead of
//! being left to the webview's defaults, which differ between WebKitGTK, WebView2 and WKWebView.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use confab_core::api::checked_url;
use tauri::webview::{DownloadEvent, NewWindowResponse};
use tauri::{AppHandle, Url, WebviewWindowBuilder};

use crate::commands::system::open_checked;

/// What the window does with a URL it was asked to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Navigation {
    /// The app's own page: it loads in the window.
    Load,
    /// A web or mail link: refused in the window, opened in the system's browser.
    OpenOutside,
    /// Anything else: refused.
    Refuse,
}

/// The decision for a navigation of the window to `url`. `dev_url` is the development
/// server's address in a development build (`None` in a release build).
pub fn decide(url: &Url, dev_url: Option<&Url>) -> Navigation {
    if is_app_origin(url, dev_url) {
        Navigation::Load
    } else if checked_url(url.as_str()).is_ok() {
        Navigation::OpenOutside
    } else {
        Navigation::Refuse
    }
}

/// The decision for a request to open a new window on `url`: never a window of ours.
pub fn decide_new_window(url: &Url, dev_url: Option<&Url>) -> Navigation {
    match decide(url, dev_url) {
        // The app in a second window would be a second UI on the same engine: no.
        Navigation::Load => Navigation::Refuse,
        other => other,
    }
}

/// The app's page is served as `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost`
/// (Windows, Android), and from the development server in a development build.
fn is_app_origin(url: &Url, dev_url: Option<&Url>) -> bool {
    let host = url.host_str();
    let own = match url.scheme() {
        "tauri" => host == Some("localhost"),
        "http" | "https" => host == Some("tauri.localhost"),
        _ => false,
    };
    // No credentials and no port: `http://tauri.localhost:8080` is some other server.
    let plain = url.port().is_none() && url.username().is_empty() && url.password().is_none();
    (own && plain) || dev_url.is_some_and(|dev| dev.origin() == url.origin())
}

/// The least time between two hand-offs to the browser. The window cannot tell a click on a
/// link from a script setting `location`; a page that navigates in a loop must not open
/// a browser tab each time.
const HAND_OFF_GAP: Duration = Duration::from_secs(1);

/// Lets one hand-off through per [`HAND_OFF_GAP`].
#[derive(Default)]
struct HandOffGate {
    last: Mutex<Option<Instant>>,
}

impl HandOffGate {
    fn admit(&self, now: Instant) -> bool {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match *last {
            Some(before) if now.saturating_duration_since(before) < HAND_OFF_GAP => false,
            _ => {
                *last = Some(now);
                true
            }
        }
    }
}

/// Only the scheme and host are logged: a link's path or query may carry what its
/// author put there, and logs leave the machine in bug reports.
fn where_to(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""))
}

fn apply(app: &AppHandle, gate: &HandOffGate, url: &Url, decision: Navigation) -> bool {
    match decision {
        Navigation::Load => true,
        Navigation::OpenOutside => {
            if !gate.admit(Instant::now()) {
                tracing::warn!(to = %where_to(url), "navigation refused; too soon to open another link");
            } else if let Err(error) = open_checked(app, url.as_str()) {
                tracing::warn!(%error, to = %where_to(url), "a link could not be opened in the browser");
            }
            false
        }
        Navigation::Refuse => {
            tracing::warn!(to = %where_to(url), "navigation refused");
            false
        }
    }
}

/// Builds the main window from its configuration (which has `create: false`, so the window
/// exists only with these rules in force).
pub fn open_main_window(app: &AppHandle) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == "main")
        .ok_or(tauri::Error::WindowNotFound)?
        .clone();
    let dev_url = app
        .config()
        .build
        .dev_url
        .clone()
        .filter(|_| tauri::is_dev());
    let new_window_dev_url = dev_url.clone();
    let gate = std::sync::Arc::new(HandOffGate::default());
    let new_window_gate = gate.clone();
    let navigation_app = app.clone();
    let new_window_app = app.clone();

    WebviewWindowBuilder::from_config(app, &config)?
        .on_navigation(move |url| apply(&navigation_app, &gate, url, decide(url, dev_url.as_ref())))
        .on_new_window(move |url, _features| {
            let decision = decide_new_window(&url, new_window_dev_url.as_ref());
            apply(&new_window_app, &new_window_gate, &url, decision);
            NewWindowResponse::Deny
        })
        .on_download(|_webview, event| {
            if let DownloadEvent::Requested { url, .. } = event {
                tracing::warn!(from = %where_to(&url), "download refused");
            }
            false
        })
        .build()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn the_apps_own_page_loads() {
        for own in [
            "tauri://localhost",
            "tauri://localhost/index.html",
            "tauri://localhost/?conversation=1#end",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/index.js",
        ] {
            assert_eq!(decide(&url(own), None), Navigation::Load, "{own}");
        }
    }

    #[test]
    fn web_and_mail_links_go_to_the_browser() {
        for link in [
            "http://127.0.0.1:8080/page",
            "https://example.com/a?b=c",
            "HTTPS://EXAMPLE.COM/",
            "mailto:someone@example.com",
            // Look-alikes of the app's origin are someone else's.
            "http://tauri.localhost:8080/",
            "http://user@tauri.localhost/",
            "https://tauri.localhost.example.com/",
            "http://localhost/",
            "http://localhost:1420/",
        ] {
            assert_eq!(decide(&url(link), None), Navigation::OpenOutside, "{link}");
        }
    }

    #[test]
    fn other_schemes_are_refused() {
        for other in [
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "about:blank",
            "blob:tauri://localhost/0b3e",
            "tauri://evil.example/",
            "tauri://localhost:99/",
            "ftp://example.com/",
            "ipc://localhost/open_url",
            "asset://localhost/etc/passwd",
        ] {
            assert_eq!(decide(&url(other), None), Navigation::Refuse, "{other}");
        }
    }

    #[test]
    fn the_dev_server_loads_only_in_a_dev_build() {
        let dev = url("http://localhost:1420");
        assert_eq!(
            decide(&url("http://localhost:1420/src/main.tsx"), Some(&dev)),
            Navigation::Load
        );
        // Another port, scheme or host of the same machine is not the dev server.
        for other in [
            "http://localhost:1421/",
            "https://localhost:1420/",
            "http://127.0.0.1:1420/",
        ] {
            assert_eq!(
                decide(&url(other), Some(&dev)),
                Navigation::OpenOutside,
                "{other}"
            );
        }
        assert_eq!(
            decide(&url("http://localhost:1420/"), None),
            Navigation::OpenOutside
        );
    }

    #[test]
    fn no_new_window_shows_the_app_or_a_page() {
        assert_eq!(
            decide_new_window(&url("tauri://localhost/"), None),
            Navigation::Refuse
        );
        assert_eq!(
            decide_new_window(&url("https://example.com/"), None),
            Navigation::OpenOutside
        );
        assert_eq!(
            decide_new_window(&url("file:///etc/passwd"), None),
            Navigation::Refuse
        );
    }

    #[test]
    fn hand_offs_are_spaced() {
        let gate = HandOffGate::default();
        let start = Instant::now();
        assert!(gate.admit(start));
        assert!(!gate.admit(start + Duration::from_millis(10)));
        assert!(!gate.admit(start + HAND_OFF_GAP - Duration::from_millis(1)));
        assert!(gate.admit(start + HAND_OFF_GAP));
        // A clock read out of order is not a reason to let one through.
        assert!(!gate.admit(start));
    }
}
