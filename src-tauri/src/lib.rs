//! The Confab desktop app: Tauri wiring around `confab-core`. Commands are one-line adapters;
//! all behaviour lives in the core.

mod commands;
mod navigation;
mod state;
mod updater;

use confab_core::api::{Api, StartConfig};
use tauri::Manager;

/// How long quitting waits for streaming replies to be written.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// The typed command set. The same builder serves the app and the bindings export.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::conversations::create_conversation,
            commands::conversations::list_conversations,
            commands::conversations::get_conversation,
            commands::conversations::list_messages,
            commands::conversations::switch_version,
            commands::conversations::show_message,
            commands::conversations::branch_conversation,
            commands::conversations::rename_conversation,
            commands::conversations::set_conversation_pinned,
            commands::conversations::set_conversation_tools,
            commands::conversations::set_conversation_archived,
            commands::conversations::search,
            commands::context::get_context_override,
            commands::context::set_context_override,
            commands::context::set_message_in_context,
            commands::context::edit_message,
            commands::context::delete_message,
            commands::context::count_message_subtree,
            commands::context::get_message_debug,
            commands::context::preview_context,
            commands::conversations::delete_conversation,
            commands::chat::send_message,
            commands::chat::regenerate,
            commands::chat::continue_reply,
            commands::chat::edit_and_resend,
            commands::chat::cancel_stream,
            commands::chat::answer_tool_call,
            commands::chat::attach_stream,
            commands::chat::list_active_streams,
            commands::chat::try_agent,
            commands::chat::attachment_fit,
            commands::settings::get_settings,
            commands::settings::set_settings,
            commands::conversations::create_conversation_with_agent,
            commands::knowledge::list_knowledge_bases,
            commands::knowledge::create_knowledge_base,
            commands::knowledge::update_knowledge_base,
            commands::knowledge::delete_knowledge_base,
            commands::knowledge::list_knowledge_sources,
            commands::knowledge::add_knowledge_source,
            commands::knowledge::remove_knowledge_source,
            commands::knowledge::set_knowledge_source_watch,
            commands::knowledge::list_knowledge_files,
            commands::knowledge::knowledge_progress,
            commands::knowledge::pause_knowledge,
            commands::knowledge::cancel_knowledge,
            commands::knowledge::resume_knowledge,
            commands::knowledge::reindex_knowledge,
            commands::knowledge::search_knowledge,
            commands::knowledge::agent_knowledge,
            commands::knowledge::set_agent_knowledge,
            commands::knowledge::conversation_knowledge,
            commands::knowledge::set_conversation_knowledge,
            commands::knowledge::open_knowledge_file,
            commands::dialogs::choose_knowledge_paths,
            commands::mcp::list_mcp_servers,
            commands::mcp::create_mcp_server,
            commands::mcp::update_mcp_server,
            commands::mcp::delete_mcp_server,
            commands::mcp::set_mcp_server_enabled,
            commands::mcp::test_mcp_server,
            commands::mcp::import_mcp_servers,
            commands::mcp::mcp_server_log,
            commands::mcp::restart_mcp_server,
            commands::mcp::mcp_prompts,
            commands::mcp::mcp_prompt_text,
            commands::mcp::mcp_resources,
            commands::mcp::attach_mcp_resource,
            commands::providers::list_providers,
            commands::providers::get_provider,
            commands::providers::create_provider,
            commands::providers::update_provider,
            commands::providers::delete_provider,
            commands::providers::set_provider_api_key,
            commands::providers::clear_provider_api_key,
            commands::providers::get_provider_key_status,
            commands::providers::test_provider_connection,
            commands::providers::list_provider_models,
            commands::providers::list_provider_presets,
            commands::providers::model_capabilities,
            commands::providers::set_model_vision,
            commands::pricing::list_model_prices,
            commands::pricing::set_model_price,
            commands::pricing::remove_model_price,
            commands::agents::list_agents,
            commands::agents::get_agent,
            commands::agents::create_agent,
            commands::agents::update_agent,
            commands::agents::duplicate_agent,
            commands::agents::delete_agent,
            commands::agents::export_agents,
            commands::agents::import_agents,
            commands::agents::get_conversation_agent,
            commands::stats::get_stats,
            commands::templates::list_templates,
            commands::templates::create_template,
            commands::templates::update_template,
            commands::templates::delete_template,
            commands::templates::set_default_template,
            commands::templates::apply_template,
            commands::storage::get_startup_status,
            commands::storage::backup_database,
            commands::storage::list_backups,
            commands::storage::restore_backup,
            commands::storage::get_storage_info,
            commands::storage::restart_app,
            commands::system::open_url,
            commands::transfer::export_conversations,
            commands::transfer::import_conversations,
            commands::diagnostics::get_log_info,
            commands::diagnostics::open_log_folder,
            commands::diagnostics::export_diagnostics,
            commands::dialogs::choose_save_path,
            commands::dialogs::choose_open_path,
            commands::dialogs::choose_attachment_paths,
            commands::attachments::attach_path,
            commands::attachments::attach_bytes,
            commands::attachments::cancel_attach,
            commands::attachments::attachment_text,
            commands::attachments::image_data_url,
            commands::updates::app_version,
            commands::updates::check_for_update,
            commands::updates::found_update,
            commands::updates::install_update,
        ])
        .events(tauri_specta::collect_events![updater::UpdateFound])
        // Timestamps are unix milliseconds: exact in a JavaScript number until year 287396.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type (no separate _Serialize/_Deserialize shapes).
        .disable_serde_phases()
}

/// Writes the TypeScript bindings for the UI to `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), specta_typescript::Error> {
    specta_builder().export(specta_typescript::Typescript::default(), path)
}

pub fn run() {
    let builder = specta_builder();

    let app = tauri::Builder::default()
        // First: a second launch hands over to the running app (its window comes to the
        // front) and exits, so two processes never write the same database.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .on_window_event(remember_window_state)
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            // Daily files in the OS log folder (kept a week), redacted; stderr too in dev.
            let log_dir = app.path().app_log_dir().ok();
            app.manage(confab_core::logging::init("info", log_dir.as_deref()));
            builder.mount_events(app);
            app.manage(updater::Updates::new(app.config()));
            navigation::open_main_window(app.handle())?;
            let db_path = state::db_path(app.handle())?;
            // Opening can take a while (a backup and a schema upgrade after an update, on a
            // large history over a minute), so it runs beside the window, which shows that it
            // is opening. Until it ends only `get_startup_status` answers; a database that
            // cannot be opened leaves the app in its recovery state (only the storage
            // commands work) instead of failing to start.
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let (storage, api) =
                    confab_core::api::open(&db_path, StartConfig::from_process()).await;
                // The api first: once the storage is managed, the status says the app is up.
                let check_updates = match &api {
                    Some(api) => api
                        .get_settings()
                        .await
                        .is_ok_and(|settings| settings.check_updates_at_start),
                    None => false,
                };
                if let Some(api) = api {
                    app.manage(api);
                }
                app.manage(storage);
                let updates = app.state::<updater::Updates>();
                updater::check_at_start(&app, &updates, check_updates).await;
            });
            Ok(())
        })
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Replies still streaming are stored (partial, reason app_exit) before exit.
                if let Some(api) = app.try_state::<Api>() {
                    tauri::async_runtime::block_on(api.shutdown(SHUTDOWN_GRACE));
                }
            }
        }),
        Err(error) => {
            eprintln!("Confab could not start: {error}");
            tracing::error!(%error, "Confab could not start");
            std::process::exit(1);
        }
    }
}

/// How long the window must stay still before its size and place are written.
const WINDOW_STATE_QUIET: std::time::Duration = std::time::Duration::from_millis(500);

/// Writes the window's size and place shortly after it stops moving. The window-state
/// plugin writes them only on a normal exit; this way a crash, a kill or a power cut does
/// not lose them.
fn remember_window_state(window: &tauri::Window, event: &tauri::WindowEvent) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};

    static LATEST: AtomicU64 = AtomicU64::new(0);
    if !matches!(
        event,
        tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
    ) {
        return;
    }
    let change = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(WINDOW_STATE_QUIET).await;
        // Only the last of a burst of moves writes.
        if LATEST.load(Ordering::SeqCst) == change
            && let Err(error) = app.save_window_state(StateFlags::all())
        {
            tracing::warn!(%error, "the window's size and place were not saved");
        }
    });
}

fn focus_main_window(app: &tauri::AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(error) = shown {
        tracing::warn!(%error, "could not bring the window to the front");
    }
}
