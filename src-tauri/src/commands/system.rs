//! Hand-offs to the operating system: opening a link from a reply in the default browser.

use confab_core::{AppError, Error, Problem, Rule};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

/// Schemes a link in model output may open. Anything else (`javascript:`, `file:`,
/// `data:`, custom app schemes) is refused: the reply is untrusted.
const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Checks `url` has an allowed scheme and returns it trimmed.
pub fn checked_url(url: &str) -> Result<&str, Error> {
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

/// Opens `url` (http, https or mailto only) in the system's default application.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app), err(Debug))]
pub fn open_url(app: AppHandle, url: String) -> Result<(), AppError> {
    Ok(open_checked(&app, &url)?)
}

/// Opens `url` in the system's default application once [`checked_url`] allows it. The one
/// way out of the app for a link: the command and the window's navigation rule share it.
pub fn open_checked(app: &AppHandle, url: &str) -> Result<(), Error> {
    let url = checked_url(url)?;
    app.opener().open_url(url, None::<&str>).map_err(|error| {
        // The system's reason stays in the log; the UI says the link could not be opened.
        tracing::warn!(error = %error, "the link could not be opened");
        Error::invalid(Problem::new("url", Rule::LinkNotOpened))
    })
}

#[cfg(test)]
mod tests {
    use super::checked_url;
    use confab_core::{Error, Problem, Rule};

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
}
