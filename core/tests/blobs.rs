//! Attachments' bytes in a real SQLite file: stored once by content, named by the messages
//! that use them, and freed when the last such message is deleted — but not while an
//! attachment waits for its message to be sent.

mod common;

use common::stream::new_conversation;
use common::{TempDb, row_count};
use confab_core::store::messages::{self, Message, NewMessage};
use confab_core::store::{blobs, branches, conversations, now_ms};
use confab_core::vocab::{Part, Role};

fn image_part(sha256: &str) -> Part {
    Part::Image {
        sha256: sha256.to_string(),
        mime: "image/png".into(),
        name: Some("a.png".into()),
        width: 1,
        height: 1,
    }
}

async fn send(temp: &TempDb, conversation: &str, parts: Vec<Part>) -> Message {
    messages::append(
        temp.db.conn(),
        NewMessage {
            parts,
            ..NewMessage::text(conversation, Role::User, "")
        },
    )
    .await
    .expect("stored")
}

#[tokio::test]
async fn the_same_content_is_stored_once_under_its_sha256() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let first = blobs::put(conn, "text/plain", b"abc").await.expect("put");
    assert_eq!(
        first,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let again = blobs::put(conn, "text/markdown", b"abc")
        .await
        .expect("put");
    assert_eq!(again, first);
    blobs::put(conn, "image/png", &[0, 1, 2, 3, 255])
        .await
        .expect("put");
    assert_eq!(row_count(&temp.db, "blobs").await, 2);
    assert_eq!(blobs::total_size(conn).await.expect("size"), 3 + 5);

    let blob = blobs::get(conn, &first).await.expect("stored");
    assert_eq!(blob.data, b"abc");
    assert_eq!(blob.mime, "text/plain", "the first type given stays");
    let missing = blobs::get(conn, &"0".repeat(64)).await.expect_err("none");
    assert_eq!(missing.code(), confab_core::ErrorCode::NotFound);
}

#[tokio::test]
async fn deleting_the_last_message_that_uses_a_blob_frees_it() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let c = new_conversation(&temp.db).await;
    let shared = blobs::put(conn, "image/png", b"shared").await.expect("put");
    let own = blobs::put(conn, "image/png", b"own").await.expect("put");
    let first = send(&temp, &c, vec![Part::text("look"), image_part(&shared)]).await;
    // The same image twice in one message is one use.
    let second = send(
        &temp,
        &c,
        vec![image_part(&shared), image_part(&own), image_part(&shared)],
    )
    .await;
    assert_eq!(row_count(&temp.db, "message_blobs").await, 3);

    // Deleting the second message frees what only it used.
    branches::delete_subtree(conn, &second.id)
        .await
        .expect("deleted");
    assert!(blobs::get(conn, &own).await.is_err(), "freed");
    assert!(blobs::get(conn, &shared).await.is_ok(), "still used");

    // A copied branch uses the blob too: deleting the original keeps it.
    let copy = branches::branch_off(conn, &first.id, None)
        .await
        .expect("copied");
    branches::delete_subtree(conn, &first.id)
        .await
        .expect("deleted");
    assert!(blobs::get(conn, &shared).await.is_ok(), "the copy uses it");
    conversations::delete(conn, &copy.id)
        .await
        .expect("deleted");
    assert!(blobs::get(conn, &shared).await.is_err(), "freed");
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
    assert_eq!(blobs::total_size(conn).await.expect("size"), 0);
}

#[tokio::test]
async fn an_attachment_waiting_for_its_message_outlives_unrelated_deletes() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let c = new_conversation(&temp.db).await;
    let message = send(&temp, &c, vec![Part::text("hello")]).await;
    let waiting = blobs::put(conn, "image/png", b"in the composer")
        .await
        .expect("put");
    branches::delete_subtree(conn, &message.id)
        .await
        .expect("deleted");
    assert!(
        blobs::get(conn, &waiting).await.is_ok(),
        "kept while pending"
    );
    // Once the waiting time is over, the sweep takes it.
    assert_eq!(blobs::collect_garbage(conn).await.expect("swept"), 0);
    let later = now_ms() + blobs::PENDING_MS + 1;
    assert_eq!(
        blobs::collect_garbage_before(conn, later - blobs::PENDING_MS)
            .await
            .expect("swept"),
        1
    );
    assert!(blobs::get(conn, &waiting).await.is_err());
}

#[tokio::test]
async fn a_part_naming_a_blob_that_is_not_stored_links_nothing() {
    let temp = TempDb::new().await;
    let c = new_conversation(&temp.db).await;
    // An imported message whose image did not come along: kept as it is.
    let message = send(&temp, &c, vec![image_part(&"f".repeat(64))]).await;
    assert_eq!(message.parts, vec![image_part(&"f".repeat(64))]);
    assert_eq!(row_count(&temp.db, "message_blobs").await, 0);
    branches::delete_subtree(temp.db.conn(), &message.id)
        .await
        .expect("deleted");
}
