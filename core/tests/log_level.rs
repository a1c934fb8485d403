//! `RUST_LOG` wins over the log level saved in the settings, as the README says. The
//! subscriber is global to a process, so each case runs this test binary again as a child
//! process with its own environment (no shell, no environment change in this process).

use std::process::Command;

use confab_core::logging;

const CHILD: &str = "the_level_as_a_child_process_sees_it";
const EXPECT: &str = "CONFAB_TEST_EXPECT_DEBUG";

#[test]
fn rust_log_overrides_the_saved_level() {
    for (rust_log, debug_on) in [(Some("debug"), true), (None, false)] {
        let mut child = Command::new(std::env::current_exe().expect("the test binary"));
        child
            .args(["--exact", CHILD, "--ignored", "--test-threads=1"])
            .env(EXPECT, if debug_on { "yes" } else { "no" });
        match rust_log {
            Some(filter) => child.env("RUST_LOG", filter),
            None => child.env_remove("RUST_LOG"),
        };
        let output = child.output().expect("the child runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "RUST_LOG={rust_log:?}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("1 passed"), "the child test ran: {stdout}");
    }
}

#[test]
#[ignore = "run by rust_log_overrides_the_saved_level, in a process of its own"]
fn the_level_as_a_child_process_sees_it() {
    let expect_debug = std::env::var(EXPECT).expect("started by the parent test") == "yes";
    let _guard = logging::init("info", None);
    // What the app does once the settings are read: apply the saved level.
    logging::set_level("warn").expect("level applied");
    assert_eq!(tracing::enabled!(tracing::Level::DEBUG), expect_debug);
    assert!(tracing::enabled!(tracing::Level::WARN));
}
