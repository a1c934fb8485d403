//! Hand-offs to the operating system: which links from a reply may be opened.

use crate::error::{Error, Result};

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
                return Err(Error::InvalidInput(
                    "the link contains control characters".into(),
                ));
            }
            Ok(url)
        }
        _ => Err(Error::InvalidInput(
            "only http, https and mailto links can be opened".into(),
        )),
    }
}
