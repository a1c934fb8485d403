//! Why a reply stopped early, as stored in a message's meta.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Why a reply stopped before it was complete. Stored in the message's meta under these
/// names; a name this version does not know (written by a newer one) reads as `Other`, so
/// the message still opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The stream ended without a finish reason: the reply may be cut off.
    NoFinishReason,
    /// Longer than the longest reply the settings allow.
    TooLong,
    /// Stopped by the person.
    Cancelled,
    /// The app quit (or crashed) while the reply was being written.
    AppExit,
    /// The provider sent nothing for too long.
    Stalled,
    /// The provider failed mid-reply.
    ProviderError,
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::messages::MessageMeta;

    #[test]
    fn stop_reasons_keep_their_stored_names_and_unknown_ones_still_load() {
        for (name, reason) in [
            ("no_finish_reason", StopReason::NoFinishReason),
            ("too_long", StopReason::TooLong),
            ("cancelled", StopReason::Cancelled),
            ("app_exit", StopReason::AppExit),
            ("stalled", StopReason::Stalled),
            ("provider_error", StopReason::ProviderError),
        ] {
            let meta = MessageMeta {
                reason: Some(reason),
                ..MessageMeta::default()
            };
            let stored = serde_json::to_value(&meta).expect("serializes");
            assert_eq!(stored, serde_json::json!({ "reason": name }));
            let read: MessageMeta = serde_json::from_value(stored).expect("reads");
            assert_eq!(read.reason, Some(reason));
        }
        let newer = serde_json::json!({"model": "m", "reason": "tool_limit", "totalMs": 5});
        let read: MessageMeta = serde_json::from_value(newer).expect("an unknown reason loads");
        assert_eq!(read.reason, Some(StopReason::Other));
        assert_eq!(read.model.as_deref(), Some("m"));
        assert_eq!(read.total_ms, Some(5));
    }
}
