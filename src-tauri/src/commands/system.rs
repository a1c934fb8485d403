//! Hand-offs to the operating system: opening a link from a reply in the default browser.

use confab_core::api::checked_url;
use confab_core::{AppError, Error, Problem, Rule};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

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
