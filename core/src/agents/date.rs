//! Dates as agents store them (`app_preset.creation_date`).

use crate::store::{civil_from_days, now_ms};

/// Now as RFC 3339 in UTC, second precision: `2026-11-22T09:30:00Z`.
pub(super) fn today() -> String {
    rfc3339(now_ms().div_euclid(1000))
}

/// Unix seconds as RFC 3339 in UTC.
fn rfc3339(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn unix_seconds_read_as_utc_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_339_845), "2026-11-22T09:30:45Z");
    }
}
