//! `ui/src/bindings.ts` must be exactly what the commands generate. Fails when it is stale;
//! `npm run bindings` (this test with CONFAB_WRITE_BINDINGS=1) rewrites it.

use std::path::Path;

#[test]
fn ui_bindings_are_fresh() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    if std::env::var_os("CONFAB_WRITE_BINDINGS").is_some() {
        confab_app::export_bindings(&committed).expect("bindings written");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("bindings.ts");
    confab_app::export_bindings(&fresh).expect("bindings exported");
    let fresh = std::fs::read_to_string(fresh).expect("fresh bindings");
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        fresh == current,
        "ui/src/bindings.ts is stale: run `npm run bindings` and commit the result"
    );
}
