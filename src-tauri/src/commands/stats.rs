use confab_core::AppError;
use confab_core::api::Api;
use confab_core::store::stats::Stats;
use tauri::State;

/// Usage statistics: totals, and the last `days` days (today included) per day, agent and
/// model, with days starting at local midnight (`utc_offset_minutes` east of UTC).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_stats(
    api: State<'_, Api>,
    days: u32,
    utc_offset_minutes: i32,
) -> Result<Stats, AppError> {
    Ok(api.get_stats(days, utc_offset_minutes).await?)
}
