//! The system's file dialogs, opened by the core side so the webview needs no dialog
//! permission: the UI asks for a path of a given kind and gets one back (or `None` when the
//! person cancels).

use confab_core::{AppError, Error, Problem, Rule};
use serde::Deserialize;
use specta::Type;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FilePath};
use tokio::sync::oneshot;

/// What the chosen file is for; sets the dialog's file type filter.
#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Json,
    Markdown,
    Database,
}

impl FileKind {
    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Json => ("JSON", &["json"]),
            Self::Markdown => ("Markdown", &["md"]),
            Self::Database => ("SQLite database", &["db", "sqlite"]),
        }
    }
}

fn into_path(chosen: Option<FilePath>) -> Result<Option<String>, AppError> {
    chosen
        .map(|path| {
            path.into_path()
                .map(|path| path.to_string_lossy().into_owned())
                .map_err(|error| {
                    tracing::warn!(error = %error, "the chosen path is not a local file");
                    AppError::from(Error::invalid(Problem::new("path", Rule::NotALocalFile)))
                })
        })
        .transpose()
}

/// Asks where to save a new file, suggesting `file_name`.
#[tauri::command]
#[specta::specta]
pub async fn choose_save_path(
    app: AppHandle,
    kind: FileKind,
    file_name: String,
) -> Result<Option<String>, AppError> {
    let (name, extensions) = kind.filter();
    let (sender, chosen) = oneshot::channel();
    app.dialog()
        .file()
        .add_filter(name, extensions)
        .set_file_name(file_name)
        .save_file(move |path| {
            let _ = sender.send(path);
        });
    into_path(chosen.await.unwrap_or(None))
}

/// Asks for an existing file to read.
#[tauri::command]
#[specta::specta]
pub async fn choose_open_path(app: AppHandle, kind: FileKind) -> Result<Option<String>, AppError> {
    let (name, extensions) = kind.filter();
    let (sender, chosen) = oneshot::channel();
    app.dialog()
        .file()
        .add_filter(name, extensions)
        .pick_file(move |path| {
            let _ = sender.send(path);
        });
    into_path(chosen.await.unwrap_or(None))
}

/// Asks for files to attach (several may be chosen): images and documents.
#[tauri::command]
#[specta::specta]
pub async fn choose_attachment_paths(app: AppHandle) -> Result<Vec<String>, AppError> {
    let (sender, chosen) = oneshot::channel();
    app.dialog()
        .file()
        .add_filter(
            "Images and documents",
            &[
                "png", "jpg", "jpeg", "gif", "webp", "pdf", "docx", "pptx", "xlsx", "txt", "md",
                "markdown", "csv", "tsv", "json", "html", "htm", "log", "yaml", "yml", "toml",
                "xml", "rs", "py", "js", "ts", "tsx", "java", "c", "cpp", "h", "go", "sh", "sql",
            ],
        )
        .add_filter("All files", &["*"])
        .pick_files(move |paths| {
            let _ = sender.send(paths);
        });
    chosen
        .await
        .unwrap_or(None)
        .unwrap_or_default()
        .into_iter()
        .map(|path| into_path(Some(path)).map(Option::unwrap_or_default))
        .collect()
}

/// Asks for the folders (`folders`) or the documents to add to a knowledge base.
#[tauri::command]
#[specta::specta]
pub async fn choose_knowledge_paths(
    app: AppHandle,
    folders: bool,
) -> Result<Vec<String>, AppError> {
    let (sender, chosen) = oneshot::channel();
    let mut dialog = app.dialog().file();
    if folders {
        // A folder chooser starts in the person's documents (GTK's otherwise opens on
        // "Recent", which lists files, not folders).
        if let Ok(start) = app.path().document_dir().or_else(|_| app.path().home_dir()) {
            dialog = dialog.set_directory(start);
        }
        dialog.pick_folders(move |paths| {
            let _ = sender.send(paths);
        });
    } else {
        dialog
            .add_filter(
                "Documents",
                &[
                    "pdf", "docx", "pptx", "xlsx", "md", "markdown", "txt", "csv", "tsv", "json",
                    "html", "htm",
                ],
            )
            .add_filter("Images", &["png", "jpg", "jpeg", "webp", "gif"])
            .add_filter("All files", &["*"])
            .pick_files(move |paths| {
                let _ = sender.send(paths);
            });
    }
    chosen
        .await
        .unwrap_or(None)
        .unwrap_or_default()
        .into_iter()
        .map(|path| into_path(Some(path)).map(Option::unwrap_or_default))
        .collect()
}
