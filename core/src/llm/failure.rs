//! Provider failures as Confab reports them: async-openai's errors mapped onto ours with
//! what the probe saw of the response, and every provider message excerpted and redacted
//! before it is stored, logged or shown.

use async_openai::error::OpenAIError;

use super::limits::{self, MAX_BODY_BYTES};
use super::probe::ResponseNote;
use super::transport;
use crate::error::{Error, Result};

/// The most of a provider's message that is kept (stored, logged, shown).
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// A provider's message as Confab may keep it: secrets blanked (the same redactor as the
/// logs, which also knows every key this process holds), then cut to
/// [`MAX_MESSAGE_BYTES`].
pub fn clean_message(text: &str) -> String {
    let redacted = crate::logging::redact(text);
    if redacted.len() <= MAX_MESSAGE_BYTES {
        return redacted;
    }
    let mut cut = MAX_MESSAGE_BYTES;
    while !redacted.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes in all)", &redacted[..cut], redacted.len())
}

/// Reads a body of at most [`MAX_BODY_BYTES`] as text (for requests outside async-openai,
/// e.g. the model list); a larger one is an error, not a long wait and a large allocation.
pub async fn read_body(mut response: reqwest::Response) -> Result<String> {
    let mut body = Vec::new();
    let mut limit = limits::BodyLimit::new(MAX_BODY_BYTES);
    while let Some(piece) = response
        .chunk()
        .await
        .map_err(|error| Error::Network(clean_message(&error.without_url().to_string())))?
    {
        if let Err(overrun) = limit.feed(&piece) {
            return Err(Error::Provider {
                status: Some(response.status().as_u16()),
                message: overrun.describe(),
                retry_after: None,
            });
        }
        body.extend_from_slice(&piece);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

pub(super) fn provider_error(error: OpenAIError, note: ResponseNote, key_set: bool) -> Error {
    // async-openai reports a body cut by the probe as a broken stream or a failed read.
    if let Some(overrun) = note.overrun {
        return Error::Provider {
            status: None,
            message: overrun.describe(),
            retry_after: None,
        };
    }
    let failed_status = note.status.filter(|status| *status >= 400);
    let from_status = |status: u16, message: String| {
        if status == 401 || status == 403 {
            Error::ProviderAuth { message, key_set }
        } else {
            Error::Provider {
                status: Some(status),
                message,
                retry_after: note.retry_after,
            }
        }
    };
    match error {
        OpenAIError::ApiError(response) => {
            let status = response.status_code.as_u16();
            from_status(
                status,
                format!("HTTP {status}: {}", response.api_error.message),
            )
        }
        // An error response whose body is not OpenAI's error shape (an integer `code`, an
        // HTML page from a proxy): still a readable error, with its status.
        OpenAIError::JSONDeserialize(_, body) if failed_status.is_some() => {
            let status = failed_status.unwrap_or_default();
            from_status(
                status,
                format!("HTTP {status}: {}", readable_error_body(&body)),
            )
        }
        OpenAIError::JSONDeserialize(error, body) => Error::Provider {
            status: None,
            message: format!(
                "unreadable data from the provider ({error}): {}",
                excerpt(&body)
            ),
            retry_after: None,
        },
        OpenAIError::Reqwest(error) => match transport::refused_redirect(&error) {
            Some(refused) => Error::Provider {
                status: None,
                message: refused,
                retry_after: None,
            },
            None => Error::Network(error.without_url().to_string()),
        },
        OpenAIError::StreamError(error) => Error::Network(error.to_string()),
        other => Error::Provider {
            status: failed_status,
            message: other.to_string(),
            retry_after: None,
        },
    }
}

/// The message of an error body of any common shape, else the start of the body;
/// redacted and excerpted.
pub(crate) fn readable_error_body(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return excerpt(body);
    };
    ["/error/message", "/message", "/error", "/detail"]
        .iter()
        .find_map(|path| json.pointer(path).and_then(|v| v.as_str()))
        .map_or_else(|| excerpt(body), clean_message)
}

/// The start of a provider's body, for an error message; redacted before it is cut, so a
/// key at the cut cannot show in part.
pub(crate) fn excerpt(body: &str) -> String {
    const MAX_CHARS: usize = 300;
    const WINDOW: usize = 4096;
    let mut window = body.len().min(WINDOW);
    while !body.is_char_boundary(window) {
        window -= 1;
    }
    let redacted = crate::logging::redact(&body[..window]);
    match redacted.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &redacted[..cut]),
        None if window < body.len() => format!("{redacted}…"),
        None => redacted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_common_shape_are_readable() {
        let llama =
            r#"{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}"#;
        assert_eq!(readable_error_body(llama), "Invalid API Key");
        assert_eq!(
            readable_error_body(r#"{"detail":"Not Found"}"#),
            "Not Found"
        );
        assert_eq!(
            readable_error_body(r#"{"error":"model not loaded"}"#),
            "model not loaded"
        );
        assert_eq!(
            readable_error_body("<html>Bad Gateway</html>"),
            "<html>Bad Gateway</html>"
        );
    }

    #[test]
    fn a_non_standard_401_body_is_still_an_auth_error() {
        let body = r#"{"error":{"code":401,"message":"Invalid API Key"}}"#;
        let json_error = serde_json::from_str::<u8>("x").expect_err("not a number");
        let note = ResponseNote {
            status: Some(401),
            ..ResponseNote::default()
        };
        let error = provider_error(
            OpenAIError::JSONDeserialize(json_error, body.into()),
            note,
            true,
        );
        assert!(
            matches!(&error, Error::ProviderAuth { message, .. } if message == "HTTP 401: Invalid API Key"),
            "{error:?}"
        );
    }
}
