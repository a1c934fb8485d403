//! The attachment commands on a real database: a file by path (a 2 GB one refused by its
//! size without being read), pasted base64, a read stopped by its id, an image as a data
//! URL, the preview of a document's text, and attachments' size in the storage facts.

mod common;
mod documents;
#[path = "common/images.rs"]
mod images;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{TempDb, params_of, problem_of, row_count, test_config, test_keychain, test_settings};
use confab_core::api::Api;
use confab_core::settings::Settings;
use confab_core::store::blobs;
use confab_core::vocab::Part;
use confab_core::{ErrorCode, Rule};
use image::ImageFormat;

/// An api whose per-file limit is `mib` MiB.
fn api(temp: &TempDb, mib: u32) -> Api {
    let settings = Settings {
        max_attachment_mib: mib,
        ..test_settings()
    };
    Api::new(temp.db.clone(), test_keychain(), settings, test_config()).expect("api")
}

fn file_sha(part: &Part) -> String {
    match part {
        Part::File { sha256, .. } | Part::Image { sha256, .. } => sha256.clone(),
        other => panic!("an attachment: {other:?}"),
    }
}

#[tokio::test]
async fn a_file_is_attached_by_its_path_and_named_by_it() {
    let temp = TempDb::new().await;
    let api = api(&temp, 50);
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("报告.docx");
    std::fs::write(&path, documents::docx(&["Hello from a file"])).expect("written");
    let part = api
        .attach_path("a1", &path.to_string_lossy())
        .await
        .expect("attached");
    let Part::File { name, chars, .. } = &part else {
        panic!("a file part: {part:?}");
    };
    assert_eq!((name.as_str(), *chars), ("报告.docx", 17));

    let missing = folder.path().join("gone.txt");
    let error = api
        .attach_path("a2", &missing.to_string_lossy())
        .await
        .expect_err("no such file");
    assert_eq!(problem_of(&error), ("file".into(), Rule::NotALocalFile));
    let error = api
        .attach_path("a3", &folder.path().to_string_lossy())
        .await
        .expect_err("a folder");
    assert_eq!(problem_of(&error), ("file".into(), Rule::IsFolder));
}

#[tokio::test]
async fn a_two_gigabyte_file_is_refused_by_its_size_without_being_read() {
    let temp = TempDb::new().await;
    let api = api(&temp, 50);
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("huge.pdf");
    // Sparse where the file system allows: no 2 GB is written, and none must be read.
    let file = std::fs::File::create(&path).expect("created");
    file.set_len(2 * 1024 * 1024 * 1024).expect("sized");
    drop(file);
    let started = Instant::now();
    let error = api
        .attach_path("big", &path.to_string_lossy())
        .await
        .expect_err("too large");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(problem_of(&error), ("file".into(), Rule::TooLarge));
    assert_eq!(params_of(&error).max, Some(50 * 1024 * 1024));
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn pasted_base64_is_decoded_in_the_core_within_the_limit() {
    let temp = TempDb::new().await;
    let api = api(&temp, 1);
    let png = images::encoded(&images::opaque(30, 20), ImageFormat::Png);
    let part = api
        .attach_bytes("p1", "clip.png", STANDARD.encode(&png))
        .await
        .expect("attached");
    assert!(
        matches!(
            &part,
            Part::Image {
                width: 30,
                height: 20,
                ..
            }
        ),
        "{part:?}"
    );
    let url = format!("data:text/plain;base64,{}", STANDARD.encode("pasted text"));
    let part = api
        .attach_bytes("p2", "clip.txt", url)
        .await
        .expect("a data URL");
    assert!(matches!(&part, Part::File { chars: 11, .. }), "{part:?}");

    let error = api
        .attach_bytes("p3", "x.txt", "not base64!".into())
        .await
        .expect_err("malformed");
    assert_eq!(problem_of(&error), ("dataBase64".into(), Rule::Malformed));
    // 2 MiB of base64 text stands for 1.5 MiB: refused before it is decoded.
    let error = api
        .attach_bytes("p4", "x.txt", "A".repeat(2 * 1024 * 1024))
        .await
        .expect_err("too large");
    assert_eq!(problem_of(&error), ("file".into(), Rule::TooLarge));
    assert_eq!(params_of(&error).max, Some(1024 * 1024));
}

#[tokio::test]
async fn a_running_read_stops_when_its_id_is_cancelled() {
    let temp = TempDb::new().await;
    let api = std::sync::Arc::new(api(&temp, 100));
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("long.txt");
    // Long enough to take seconds to read and count in a test build.
    std::fs::write(&path, "many words to count ".repeat(1_500_000)).expect("written");
    let reading = {
        let api = api.clone();
        let path = path.to_string_lossy().into_owned();
        tokio::spawn(async move { api.attach_path("slow", &path).await })
    };
    // Cancelling before the read is registered does nothing, so keep asking until it ends.
    while !reading.is_finished() {
        api.cancel_attach("slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let error = reading.await.expect("joined").expect_err("stopped");
    assert_eq!(problem_of(&error), ("file".into(), Rule::Cancelled));
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
    // The id is free again once the read ended.
    let small = folder.path().join("small.txt");
    std::fs::write(&small, "small").expect("written");
    api.attach_path("slow", &small.to_string_lossy())
        .await
        .expect("the same id reads again");
}

#[tokio::test]
async fn an_image_comes_back_as_a_data_url_and_a_document_is_not_one() {
    let temp = TempDb::new().await;
    let api = api(&temp, 50);
    let png = images::encoded(&images::opaque(16, 16), ImageFormat::Png);
    let image = api
        .attach_bytes("i", "a.png", STANDARD.encode(&png))
        .await
        .expect("attached");
    let sha = file_sha(&image);
    let url = api.image_data_url(&sha).await.expect("a data URL");
    let data = url
        .strip_prefix("data:image/jpeg;base64,")
        .unwrap_or_else(|| panic!("a JPEG data URL: {}", &url[..40]));
    let stored = blobs::get(temp.db.conn(), &sha).await.expect("stored");
    assert_eq!(STANDARD.decode(data).expect("base64"), stored.data);

    let doc = api
        .attach_bytes("d", "a.txt", STANDARD.encode("text"))
        .await
        .expect("attached");
    let error = api
        .image_data_url(&file_sha(&doc))
        .await
        .expect_err("not an image");
    assert_eq!(problem_of(&error), ("sha256".into(), Rule::WrongFormat));
    let error = api.image_data_url(&"0".repeat(64)).await.expect_err("none");
    assert_eq!(error.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn the_preview_of_a_document_is_cut_at_the_characters_asked_for() {
    let temp = TempDb::new().await;
    let api = api(&temp, 50);
    let pdf = documents::pdf(&[Some("Alpha page"), Some("Beta page")]);
    let part = api
        .attach_bytes("t", "two.pdf", STANDARD.encode(&pdf))
        .await
        .expect("attached");
    let sha = file_sha(&part);
    let whole = api.attachment_text(&sha, 10_000).await.expect("text");
    assert!(!whole.truncated);
    assert_eq!(whole.pages, Some(2));
    assert_eq!(whole.chars as usize, whole.text.chars().count());
    assert!(whole.text.contains("Beta page"), "{}", whole.text);

    let cut = api.attachment_text(&sha, 10).await.expect("text");
    assert_eq!(cut.text, whole.text.chars().take(10).collect::<String>());
    assert_eq!((cut.chars, cut.truncated), (whole.chars, true));
    let error = api
        .attachment_text(&"0".repeat(64), 10)
        .await
        .expect_err("none");
    assert_eq!(error.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn the_storage_facts_count_attachments_bytes() {
    let temp = TempDb::new().await;
    let api = api(&temp, 50);
    let before = confab_core::startup::storage_info(&temp.path(), Some(&temp.db))
        .await
        .expect("facts");
    assert_eq!(before.attachments_bytes, 0);
    api.attach_bytes("s", "a.txt", STANDARD.encode("12345"))
        .await
        .expect("attached");
    let after = confab_core::startup::storage_info(&temp.path(), Some(&temp.db))
        .await
        .expect("facts");
    assert_eq!(after.attachments_bytes, 5);
}
