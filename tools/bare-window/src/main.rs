// No console window on Windows in release builds, as in the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-window: {error}");
        std::process::exit(1);
    }
}
