//! A Markdown export's attachments, on a real SQLite file with the real migrations: written
//! to a folder beside the file, each once, under names that stay inside that folder and do
//! not collide, and linked from their messages; no folder when there is nothing to put in it.

#[path = "common/attached.rs"]
mod attached;
mod common;
#[path = "common/history.rs"]
mod history;
#[path = "common/images.rs"]
mod images;

use std::collections::BTreeMap;
use std::path::Path;

use common::TempDb;
use common::stream::new_conversation;
use confab_core::store::blobs;
use confab_core::transfer::{ExportFormat, export_to_file};
use confab_core::vocab::Part;

use attached::{DOCUMENT, file_part, send};

/// Every file in `dir` (not recursive) with its bytes.
fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("a folder")
        .map(|entry| {
            let entry = entry.expect("an entry");
            assert!(entry.file_type().expect("a type").is_file(), "{entry:?}");
            let name = entry.file_name().into_string().expect("UTF-8");
            (name, std::fs::read(entry.path()).expect("read"))
        })
        .collect()
}

async fn markdown(temp: &TempDb, ids: &[String], name: &str) -> String {
    let path = temp.dir.path().join(name);
    export_to_file(temp.db.conn(), Some(ids), ExportFormat::Markdown, &path)
        .await
        .expect("exported");
    std::fs::read_to_string(path).expect("read")
}

#[tokio::test]
async fn attachments_go_to_a_folder_beside_the_file_and_are_linked() {
    let temp = TempDb::new().await;
    let seeded = attached::seed(&temp.db).await;

    let text = markdown(
        &temp,
        std::slice::from_ref(&seeded.conversation),
        "my chat.md",
    )
    .await;

    let folder = temp.dir.path().join("my chat_files");
    let files = files_in(&folder);
    assert_eq!(
        files,
        BTreeMap::from([
            ("notes.md".to_string(), DOCUMENT.as_bytes().to_vec()),
            ("photo.png".to_string(), seeded.image_bytes.clone()),
        ]),
        "each attachment once, its bytes as stored"
    );
    assert!(text.contains("What do these say?\n\n![photo.png](my%20chat_files/photo.png)\n\n[notes.md](my%20chat_files/notes.md)\n"), "{text}");
    assert_eq!(
        text.matches("![photo.png](my%20chat_files/photo.png)")
            .count(),
        2,
        "both messages link the one file"
    );
    assert!(
        !text.contains("_(empty)_"),
        "a message of attachments only is not empty"
    );
}

#[tokio::test]
async fn a_conversation_without_attachments_makes_no_folder() {
    let temp = TempDb::new().await;
    let ids = history::seed(&temp.db).await;

    markdown(&temp, &ids, "plain.md").await;

    let names: Vec<String> = std::fs::read_dir(temp.dir.path())
        .expect("listed")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into())
        .filter(|name: &String| name.contains("_files"))
        .collect();
    assert_eq!(names, Vec::<String>::new());
}

#[tokio::test]
async fn names_stay_inside_the_folder_and_never_collide() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let conversation = new_conversation(&temp.db).await;
    let mut parts = Vec::new();
    let mut expected = BTreeMap::new();
    let names = [
        ("../../escaped.txt", "escaped.txt"),
        ("a.txt", "a.txt"),
        ("sub/a.txt", "a (2).txt"),
        ("A.TXT", "A (3).TXT"),
        ("..", "attachment"),
        ("..\\..\\", "attachment (2)"),
        ("con.txt", "_con.txt"),
        ("x](javascript:alert(1)).txt", "x](javascript_alert(1)).txt"),
    ];
    for (index, (name, file)) in names.into_iter().enumerate() {
        let bytes = format!("file {index}").into_bytes();
        let sha256 = blobs::put(conn, "text/plain", &bytes).await.expect("put");
        parts.push(file_part(&sha256, name));
        expected.insert(file.to_string(), bytes);
    }
    send(&temp.db, &conversation, parts).await;
    // A part naming a blob that is not stored is said, not linked.
    send(
        &temp.db,
        &conversation,
        vec![file_part(&"0".repeat(64), "gone.pdf")],
    )
    .await;

    let text = markdown(&temp, &[conversation], "chat.md").await;

    assert_eq!(files_in(&temp.dir.path().join("chat_files")), expected);
    let beside: Vec<String> = std::fs::read_dir(temp.dir.path())
        .expect("listed")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into())
        .filter(|name: &String| !name.starts_with("confab.db"))
        .collect();
    assert_eq!(beside.len(), 2, "only the file and its folder: {beside:?}");
    assert!(!temp.dir.path().join("escaped.txt").exists());
    for link in [
        "[../../escaped.txt](chat_files/escaped.txt)",
        "[sub/a.txt](chat_files/a%20%282%29.txt)",
        "[A.TXT](chat_files/A%20%283%29.TXT)",
        "[x\\](javascript:alert(1)).txt](chat_files/x%5D%28javascript_alert%281%29%29.txt)",
        "_gone.pdf (attachment not stored)_",
    ] {
        assert!(text.contains(link), "{link} in {text}");
    }
}

#[tokio::test]
async fn an_image_without_a_name_gets_one_with_its_extension() {
    let temp = TempDb::new().await;
    let conversation = new_conversation(&temp.db).await;
    let png = images::encoded(&images::opaque(8, 8), image::ImageFormat::Png);
    let sha256 = blobs::put(temp.db.conn(), "image/png", &png)
        .await
        .expect("put");
    let image = Part::Image {
        sha256,
        mime: "image/png".into(),
        name: None,
        width: 8,
        height: 8,
    };
    send(&temp.db, &conversation, vec![image]).await;

    let text = markdown(&temp, &[conversation], "pic.md").await;

    assert!(text.contains("![image](pic_files/image.png)"), "{text}");
    assert_eq!(
        files_in(&temp.dir.path().join("pic_files"))["image.png"],
        png
    );
}

#[tokio::test]
async fn an_export_that_cannot_write_its_folder_leaves_nothing() {
    let temp = TempDb::new().await;
    let seeded = attached::seed(&temp.db).await;
    // A file where the folder would go.
    std::fs::write(temp.dir.path().join("chat_files"), b"mine").expect("written");
    let path = temp.dir.path().join("chat.md");

    let error = export_to_file(
        temp.db.conn(),
        Some(&[seeded.conversation]),
        ExportFormat::Markdown,
        &path,
    )
    .await
    .expect_err("no folder");

    assert!(error.to_string().contains("chat_files"), "{error}");
    assert!(!path.exists());
    assert!(!temp.dir.path().join("chat.md.partial").exists());
    assert_eq!(
        std::fs::read(temp.dir.path().join("chat_files")).expect("kept"),
        b"mine"
    );
}

#[tokio::test]
async fn json_lists_only_attachments_that_are_stored() {
    let temp = TempDb::new().await;
    let conversation = new_conversation(&temp.db).await;
    send(
        &temp.db,
        &conversation,
        vec![file_part(&"0".repeat(64), "gone.pdf")],
    )
    .await;
    let path = temp.dir.path().join("chat.json");

    export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");

    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
    assert_eq!(document["attachments"], serde_json::json!([]));
    assert_eq!(
        document["conversations"][0]["messages"][0]["parts"][0]["name"],
        "gone.pdf"
    );
}
