//! What the UI sends to create or update a provider, and its checks.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use specta::Type;

use super::ProviderKind;
use super::headers::{self, SecretChange};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::secrets::Secret;

/// What the UI sends to create or update a provider. Its `Debug` leaves header values out:
/// commands log their input when they fail.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderInput {
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub default_model: String,
    /// Plain headers. One whose name looks like a credential is stored as a secret header.
    pub extra_headers: BTreeMap<String, String>,
    /// Secret headers: a new value, or `null` to keep the value already stored.
    pub secret_headers: BTreeMap<String, Option<String>>,
}

impl std::fmt::Debug for ProviderInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderInput")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("default_model", &self.default_model)
            .field("extra_headers", &self.extra_headers.keys())
            .field("secret_headers", &self.secret_headers.keys())
            .finish()
    }
}

/// An input checked and split: plain headers, and what to do with each secret one.
pub(super) struct Checked {
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub default_model: String,
    pub plain: BTreeMap<String, String>,
    pub secret: BTreeMap<String, SecretChange>,
}

pub const MAX_NAME_CHARS: usize = 100;
const MAX_MODEL_CHARS: usize = 200;
const MAX_HEADERS: usize = 32;
/// Headers that carry credentials: the key is sent from the keychain, never from here.
const FORBIDDEN_HEADERS: [&str; 3] = ["authorization", "cookie", "proxy-authorization"];

impl ProviderInput {
    /// The input trimmed and split, or the first problem with it.
    pub(super) fn validated(&self) -> Result<Checked> {
        let invalid = |problem: Problem| Err(Error::invalid(problem));
        let name = self.name.trim();
        if name.is_empty() {
            return invalid(Problem::required("name"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return invalid(Problem::limit("name", Rule::TooLong, MAX_NAME_CHARS));
        }
        let base_url = normalize_base_url(&self.base_url)?;
        let default_model = self.default_model.trim();
        if default_model.is_empty() {
            return invalid(Problem::required("defaultModel"));
        }
        if default_model.chars().count() > MAX_MODEL_CHARS {
            return invalid(Problem::limit(
                "defaultModel",
                Rule::TooLong,
                MAX_MODEL_CHARS,
            ));
        }
        if self.extra_headers.len() + self.secret_headers.len() > MAX_HEADERS {
            return invalid(Problem::limit("headers", Rule::TooMany, MAX_HEADERS));
        }
        let mut plain = BTreeMap::new();
        let mut secret = BTreeMap::new();
        let mut seen = BTreeSet::new();
        let given = self
            .extra_headers
            .iter()
            .map(|(name, value)| (name, Some(value), false))
            .chain(
                self.secret_headers
                    .iter()
                    .map(|(name, value)| (name, value.as_ref(), true)),
            );
        for (name, value, marked) in given {
            let name = name.trim();
            check_header_name(name)?;
            let at = header_path(name);
            if !seen.insert(name.to_ascii_lowercase()) {
                return invalid(Problem::new(at, Rule::Duplicate));
            }
            let value = value
                .map(|value| value.trim())
                .filter(|v| !v.is_empty() || !marked);
            if let Some(value) = value
                && reqwest::header::HeaderValue::from_str(value).is_err()
            {
                return invalid(Problem::new(at, Rule::InvalidHeaderValue));
            }
            if marked || headers::looks_secret(name) {
                let change = match value {
                    Some("") => return invalid(Problem::required(at)),
                    Some(value) if value.len() > headers::MAX_SECRET_HEADER_LEN => {
                        return invalid(Problem::limit(
                            at,
                            Rule::TooLong,
                            headers::MAX_SECRET_HEADER_LEN,
                        ));
                    }
                    Some(value) => SecretChange::Set(Secret::new(value)),
                    None => SecretChange::Keep,
                };
                secret.insert(name.to_string(), change);
            } else {
                plain.insert(name.to_string(), value.unwrap_or_default().to_string());
            }
        }
        Ok(Checked {
            name: name.to_string(),
            kind: self.kind,
            base_url,
            default_model: default_model.to_string(),
            plain,
            secret,
        })
    }
}

/// Where a header's problem is placed: `headers.X-Api-Key` (the form lists plain and
/// secret headers together).
pub(super) fn header_path(name: &str) -> String {
    format!("headers.{name}")
}

fn check_header_name(name: &str) -> Result<()> {
    if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(Error::invalid(Problem::new(
            header_path(name),
            Rule::HeaderNotAllowed,
        )));
    }
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(Error::invalid(Problem::new(
            header_path(name),
            Rule::InvalidHeaderName,
        )));
    }
    Ok(())
}

/// A base URL as stored: parseable, http(s), with a host, without a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let invalid = |rule| Error::invalid(Problem::new("baseUrl", rule));
    let parsed = reqwest::Url::parse(trimmed).map_err(|_| invalid(Rule::InvalidUrl))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(Rule::UrlScheme));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(Rule::UrlNoHost));
    }
    crate::llm::check_plain_http(&parsed)?;
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProviderInput {
        ProviderInput {
            name: " Local ".into(),
            base_url: "http://127.0.0.1:11434/v1/".into(),
            default_model: "llama3.2".into(),
            ..ProviderInput::default()
        }
    }

    #[test]
    fn input_is_trimmed_and_urls_lose_their_trailing_slash() {
        let valid = input().validated().expect("valid");
        assert_eq!(valid.name, "Local");
        assert_eq!(valid.base_url, "http://127.0.0.1:11434/v1");
    }

    #[test]
    fn credential_looking_headers_become_secret_and_values_never_print() {
        let given = ProviderInput {
            extra_headers: BTreeMap::from([
                ("X-Title".to_string(), "Confab".to_string()),
                ("api-key".to_string(), "azure-value-123456".to_string()),
            ]),
            secret_headers: BTreeMap::from([
                (
                    "X-Tenant".to_string(),
                    Some("tenant-value-987654".to_string()),
                ),
                ("X-Kept".to_string(), None),
            ]),
            ..input()
        };
        let printed = format!("{given:?}");
        assert!(!printed.contains("azure-value") && !printed.contains("tenant-value"));
        let checked = given.validated().expect("valid");
        assert_eq!(checked.plain.keys().collect::<Vec<_>>(), ["X-Title"]);
        assert_eq!(
            checked.secret.keys().collect::<Vec<_>>(),
            ["X-Kept", "X-Tenant", "api-key"]
        );
        assert_eq!(checked.secret["X-Kept"], SecretChange::Keep);
        let twice = ProviderInput {
            extra_headers: BTreeMap::from([("x-team".to_string(), "a".to_string())]),
            secret_headers: BTreeMap::from([("X-Team".to_string(), Some("b".to_string()))]),
            ..input()
        };
        assert!(matches!(
            twice.validated(),
            Err(Error::InvalidInput(p)) if p == [Problem::new("headers.X-Team", Rule::Duplicate)]
        ));
        let keep_unmarked_secret = ProviderInput {
            extra_headers: BTreeMap::from([("x-api-key".to_string(), String::new())]),
            ..input()
        };
        assert!(
            keep_unmarked_secret.validated().is_err(),
            "an empty credential"
        );
    }

    fn with_header_value(name: &str, value: &str) -> ProviderInput {
        ProviderInput {
            extra_headers: BTreeMap::from([(name.to_string(), value.to_string())]),
            ..input()
        }
    }

    #[test]
    fn credential_headers_bad_urls_and_empty_fields_are_refused() {
        let with_header = |name: &str| ProviderInput {
            extra_headers: BTreeMap::from([(name.to_string(), "x".to_string())]),
            ..input()
        };
        let problem = |input: ProviderInput| match input.validated() {
            Err(Error::InvalidInput(problems)) => problems,
            Err(other) => panic!("another error: {other}"),
            Ok(_) => panic!("accepted"),
        };
        let one = |path: &str, rule| vec![Problem::new(path, rule)];
        for (name, rule) in [
            ("Authorization", Rule::HeaderNotAllowed),
            ("cookie", Rule::HeaderNotAllowed),
            ("bad header", Rule::InvalidHeaderName),
        ] {
            assert_eq!(problem(with_header(name)), one(&header_path(name), rule));
        }
        assert!(with_header("X-Title").validated().is_ok());
        for (url, rule) in [
            ("ftp://host/v1", Rule::UrlScheme),
            ("not a url", Rule::InvalidUrl),
            ("http://", Rule::InvalidUrl),
            ("", Rule::InvalidUrl),
        ] {
            let bad = ProviderInput {
                base_url: url.into(),
                ..input()
            };
            assert_eq!(problem(bad), one("baseUrl", rule), "{url}");
        }
        let remote = ProviderInput {
            base_url: "http://example.com/v1".into(),
            ..input()
        };
        assert_eq!(
            problem(remote),
            [Problem::new("baseUrl", Rule::PlainHttp).value("example.com")]
        );
        let unnamed = ProviderInput {
            name: "  ".into(),
            ..input()
        };
        assert_eq!(problem(unnamed), one("name", Rule::Required));
        let long = ProviderInput {
            name: "n".repeat(101),
            ..input()
        };
        assert_eq!(
            problem(long),
            [Problem::limit("name", Rule::TooLong, MAX_NAME_CHARS)]
        );
        let no_model = ProviderInput {
            default_model: " ".into(),
            ..input()
        };
        assert_eq!(problem(no_model), one("defaultModel", Rule::Required));
        let empty_secret = with_header_value("x-api-key", " ");
        assert_eq!(
            problem(empty_secret),
            one("headers.x-api-key", Rule::Required)
        );
        let bad_value = with_header_value("X-Title", "a\nb");
        assert_eq!(
            problem(bad_value),
            one("headers.X-Title", Rule::InvalidHeaderValue)
        );
    }
}
