//! Hand-offs to the operating system: which links from a reply may be opened.

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// Schemes a link in model output may open. Anything else (`javascript:`, `file:`,
/// `data:`, custom app schemes) is refused: the reply is untrusted.
const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Checks `url` has an allowed scheme and no control characters, and returns it trimmed:
/// the one rule for every link that leaves the app (the open command and the window's
/// navigation both use it).
pub fn checked_url(url: &str) -> Result<&str> {
    let url = url.trim();
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme {
        Some(scheme) if ALLOWED_SCHEMES.contains(&scheme.as_str()) => {
            if url.chars().any(char::is_control) {
                return Err(Error::invalid(Problem::new("url", Rule::ControlCharacters)));
            }
            Ok(url)
        }
        _ => Err(Error::invalid(Problem::new("url", Rule::LinkScheme))),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::checked_url;
    use crate::error::Error;
    use crate::problem::{Problem, Rule};

    #[test]
    fn allows_web_and_mail_links() {
        assert_eq!(
            checked_url("https://example.com/a?b=c").ok(),
            Some("https://example.com/a?b=c")
        );
        assert_eq!(
            checked_url(" http://example.com ").ok(),
            Some("http://example.com")
        );
        assert_eq!(
            checked_url("HTTPS://EXAMPLE.COM").ok(),
            Some("HTTPS://EXAMPLE.COM")
        );
        assert_eq!(
            checked_url("mailto:a@example.com").ok(),
            Some("mailto:a@example.com")
        );
    }

    #[test]
    fn refuses_other_schemes() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "vbscript:msgbox",
            "tauri://localhost",
            "/relative/path",
            "example.com",
            "",
            "https://example.com/\nfoo",
        ] {
            let rule = if url.contains('\n') {
                Rule::ControlCharacters
            } else {
                Rule::LinkScheme
            };
            assert!(
                matches!(checked_url(url), Err(Error::InvalidInput(p)) if p == [Problem::new("url", rule)]),
                "{url:?} must be refused"
            );
        }
    }

    proptest! {
        // Links come from model output: whatever the text, the check answers, and what it
        // lets through is trimmed, free of control characters and of an allowed scheme.
        #[test]
        fn what_passes_is_an_allowed_clean_link(url in any::<String>()) {
            if let Ok(allowed) = checked_url(&url) {
                prop_assert_eq!(allowed, url.trim());
                prop_assert!(!allowed.chars().any(char::is_control));
                let scheme = allowed.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
                prop_assert!(matches!(scheme.as_deref(), Some("http" | "https" | "mailto")));
            }
        }
    }
}
