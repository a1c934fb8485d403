use confab_core::AppError;
use confab_core::store::now_ms;
use confab_core::store::stats::{self, Stats, StatsQuery};
use tauri::State;

use crate::AppState;

/// Usage statistics: totals, and the last `days` days (today included) per day, agent and
/// model, with days starting at local midnight (`utc_offset_minutes` east of UTC).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_stats(
    state: State<'_, AppState>,
    days: u32,
    utc_offset_minutes: i32,
) -> Result<Stats, AppError> {
    let query = StatsQuery {
        days,
        now: now_ms(),
        utc_offset_minutes,
    };
    Ok(stats::get(state.engine.db().conn(), query).await?)
}
