//! Confab's updates, on `tauri-plugin-updater`: the release manifest is read (bounded, see
//! `fetch`), the plugin picks this system's package from it and checks that the signature
//! binds the announced version, the package is downloaded (bounded, with progress), its
//! minisign signature is checked against the public key built into the app
//! (`plugins.updater.pubkey` in `tauri.conf.json`), and only then handed to the plugin's
//! installer. The UI restarts the app afterwards (`restart_app`).
//!
//! Where the manifest is: `plugins.updater.endpoints[0]`, or `CONFAB_UPDATE_ENDPOINT` read
//! once at start (the end-to-end test's server on 127.0.0.1). Nothing the webview sends can
//! change it, and an address that is not https (plain http only on loopback) is refused;
//! a package that another key signed is never installed, wherever it comes from.

mod errors;
mod fetch;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Url};
use tauri_plugin_updater::{Update, UpdaterExt};
use tokio::sync::Mutex;

use confab_core::Error;
use confab_core::ErrorCode;

/// The environment variable that points the update check somewhere else (tests).
pub const ENDPOINT_VARIABLE: &str = "CONFAB_UPDATE_ENDPOINT";

/// The version that runs, and whether it can install an update by itself.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppVersion {
    pub version: String,
    pub installable: bool,
}

/// A newer version, as its manifest announces it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    /// Unix milliseconds, when the manifest says.
    pub published_at: Option<i64>,
    /// Release notes (Markdown), when the manifest has them.
    pub notes: Option<String>,
}

/// Sent to the window when the check at start finds an update.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct UpdateFound(pub UpdateInfo);

/// What an install reports while it runs.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum UpdateEvent {
    /// Bytes downloaded so far, of `total` when the server said.
    Progress { downloaded: u64, total: Option<u64> },
    /// Downloaded and its signature checked; the system's installer runs.
    Installing,
}

/// The update check's state: where the manifest is, and the update found last.
pub struct Updates {
    /// As configured; checked by [`endpoint`] at each check, whose error the UI shows.
    endpoint: Option<String>,
    found: Mutex<Option<Update>>,
}

impl Updates {
    /// The endpoint from `CONFAB_UPDATE_ENDPOINT`, else from the app's configuration.
    pub fn new(config: &tauri::Config) -> Self {
        let configured = || {
            config
                .plugins
                .0
                .get("updater")
                .and_then(|updater| updater.get("endpoints"))
                .and_then(|endpoints| endpoints.get(0))
                .and_then(|endpoint| endpoint.as_str())
                .map(str::to_owned)
        };
        let overridden = std::env::var(ENDPOINT_VARIABLE).ok();
        if let Some(endpoint) = &overridden {
            tracing::info!(%endpoint, "update endpoint from {ENDPOINT_VARIABLE}");
        }
        Self {
            endpoint: overridden.or_else(configured),
            found: Mutex::new(None),
        }
    }

    /// Reads the manifest; the newer version it announces for this system, if any.
    pub async fn check(&self, app: &AppHandle) -> Result<Option<UpdateInfo>, Error> {
        let url = endpoint(self.endpoint.clone())?;
        let manifest = fetch::manifest(&url).await.map_err(errors::fetch)?;
        let updater = app.updater().map_err(errors::plugin)?;
        // As `restore_update` reads it, the signature must name the announced version: a
        // manifest cannot pass an older signed package off as a newer one.
        let update = updater.restore_update(manifest).map_err(errors::plugin)?;
        let info = update.as_ref().map(info);
        *self.found.lock().await = update;
        Ok(info)
    }

    /// The update the last check found, if one did.
    pub async fn found(&self) -> Option<UpdateInfo> {
        self.found.lock().await.as_ref().map(info)
    }

    /// Downloads the update the last check found, checks its signature and installs it. The
    /// running app is not touched; it runs the new version after a restart. An update that
    /// failed must be found again by a new check.
    pub async fn install(&self, report: impl Fn(UpdateEvent)) -> Result<(), Error> {
        let update = self.found.lock().await.take().ok_or_else(|| {
            update_error(
                ErrorCode::NoUpdate,
                "no update was found: check first".into(),
            )
        })?;
        if !installable() {
            return Err(update_error(
                ErrorCode::UpdateNotInstallable,
                "this copy of Confab was not installed from a package that updates itself".into(),
            ));
        }
        let bytes = fetch::package(&update.download_url, |downloaded, total| {
            report(UpdateEvent::Progress { downloaded, total });
        })
        .await
        .map_err(errors::fetch)?;
        update.verify(&bytes).map_err(errors::plugin)?;
        report(UpdateEvent::Installing);
        // The installer blocks (it waits for dpkg, rpm or the AppImage's copy): on a thread of
        // its own, not on one of the async runtime's. `install` checks the signature again.
        let (sender, installed) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = sender.send(update.install(bytes));
        });
        installed
            .await
            .map_err(|error| Error::internal("the update's installer thread", error))?
            .map_err(errors::plugin)
    }
}

/// Whether this copy can install an update: it runs from a package the plugin updates
/// (AppImage, .deb, .rpm, .msi, NSIS, or a macOS .app), which the bundler marks in the
/// binary. A development build or a bare binary is not one.
pub fn installable() -> bool {
    use tauri::utils::config::BundleType;
    match tauri::utils::platform::bundle_type() {
        None => false,
        // Reported for every macOS binary: only one inside an .app bundle is one.
        Some(BundleType::App) => tauri::utils::platform::current_exe()
            .is_ok_and(|path| path.to_string_lossy().contains(".app/Contents/MacOS/")),
        Some(_) => true,
    }
}

/// At start, when the person asked for it: checks, and tells the window what it found.
pub async fn check_at_start(app: &AppHandle, updates: &Updates, wanted: bool) {
    use tauri_specta::Event;
    if !wanted {
        return;
    }
    match updates.check(app).await {
        Ok(Some(found)) => {
            if let Err(error) = UpdateFound(found).emit(app) {
                tracing::warn!(%error, "the update found was not shown");
            }
        }
        Ok(None) => tracing::info!("no update"),
        Err(error) => tracing::info!(%error, "the update check at start failed"),
    }
}

fn endpoint(text: Option<String>) -> Result<Url, Error> {
    let refused = |message: String| update_error(ErrorCode::UpdateNetwork, message);
    let text = text.ok_or_else(|| refused("no update address is configured".to_owned()))?;
    let url = Url::parse(&text).map_err(|error| refused(format!("the update address: {error}")))?;
    if fetch::allowed(&url) {
        Ok(url)
    } else {
        Err(refused(format!(
            "the update address {url} is not https (plain http only to this computer)"
        )))
    }
}

fn info(update: &Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        published_at: update
            .date
            .map(|date| i64::try_from(date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)),
        notes: update.body.clone(),
    }
}

fn update_error(kind: ErrorCode, message: String) -> Error {
    Error::Update { kind, message }
}
