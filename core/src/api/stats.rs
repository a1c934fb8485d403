//! Usage statistics.

use super::Api;
use crate::error::Result;
use crate::store::now_ms;
use crate::store::stats::{self, Stats, StatsQuery};

impl Api {
    /// Totals, and the last `days` days (today included) per day, agent and model, with
    /// days starting at local midnight (`utc_offset_minutes` east of UTC).
    pub async fn get_stats(&self, days: u32, utc_offset_minutes: i32) -> Result<Stats> {
        let query = StatsQuery {
            days,
            now: now_ms(),
            utc_offset_minutes,
        };
        stats::get(self.conn(), query).await
    }
}
