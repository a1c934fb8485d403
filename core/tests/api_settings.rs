//! Saving the settings is one operation: stored, put in force in the engine, and the log
//! level changed. The log subscriber is global to a process, so the check runs this test
//! binary again as a child process without `RUST_LOG` (which would override the level).

mod common;

use std::process::Command;

use common::{TempDb, test_config, test_keychain, test_settings};
use confab_core::ErrorCode;
use confab_core::api::Api;
use confab_core::settings::Settings;

const CHILD: &str = "saving_applies_the_level_in_a_process_of_its_own";

#[test]
fn saving_the_settings_applies_the_log_level() {
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", CHILD, "--ignored", "--test-threads=1"])
        .env_remove("RUST_LOG")
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "the child test ran: {stdout}");
}

#[tokio::test]
#[ignore = "run by saving_the_settings_applies_the_log_level, in a process of its own"]
async fn saving_applies_the_level_in_a_process_of_its_own() {
    let _guard = confab_core::logging::init("info", None);
    let temp = TempDb::new().await;
    let api = Api::new(
        temp.db.clone(),
        test_keychain(),
        test_settings(),
        test_config(),
    )
    .expect("api");
    assert!(tracing::enabled!(tracing::Level::INFO));

    let quiet = Settings {
        log_level: "warn".into(),
        max_concurrent_streams: 2,
        ..Settings::default()
    };
    let saved = api.set_settings(quiet.clone()).await.expect("saved");
    assert_eq!(saved, quiet);
    assert_eq!(api.get_settings().await.expect("read back"), quiet);
    assert!(
        !tracing::enabled!(tracing::Level::INFO),
        "the level applied"
    );
    assert!(tracing::enabled!(tracing::Level::WARN));

    // Refused settings change nothing: not the store, not the level.
    let loud = Settings {
        log_level: "loud".into(),
        ..quiet.clone()
    };
    let refused = api.set_settings(loud).await.expect_err("refused");
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert_eq!(api.get_settings().await.expect("read back"), quiet);
    assert!(!tracing::enabled!(tracing::Level::INFO));
}

#[tokio::test]
async fn the_update_check_at_start_is_off_until_turned_on() {
    let temp = TempDb::new().await;
    let api = Api::new(
        temp.db.clone(),
        test_keychain(),
        test_settings(),
        test_config(),
    )
    .expect("api");
    assert!(
        !api.get_settings()
            .await
            .expect("read")
            .check_updates_at_start
    );
    let on = Settings {
        check_updates_at_start: true,
        ..api.get_settings().await.expect("read")
    };
    api.set_settings(on).await.expect("saved");
    assert!(
        api.get_settings()
            .await
            .expect("read back")
            .check_updates_at_start
    );
}
