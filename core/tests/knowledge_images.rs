//! Images in a knowledge base, against a scripted multimodal embeddings server on
//! 127.0.0.1 (Jina's input shape: a text is a string, an image `{"image": "data:..."}`)
//! whose vectors come from the images' real pixels: a question about a red square finds
//! the red images and not the blue one, by vector alone; a damaged or oversized image fails
//! with its code while the text files index; a model that refuses images fails them with
//! `embedding_model_no_images`; a base with the setting off never reads an image. In a
//! reply, the image is named to the model, and sent as an image only to a model that sees
//! images.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/embedding_server.rs"]
mod embedding_server;
#[path = "common/images.rs"]
mod images;

use common::events_until_end;
use common::hostile::{Answer, Hostile, Received};
use common::knowledge::{Rig, input};
use common::stream::channel;
use confab_core::chat::ChatEvent;
use confab_core::knowledge::{FileStatus, KnowledgeBase, chunks::file_name};
use confab_core::providers::builtin;
use confab_core::vocab::Part;
use embedding_server::{has_image, multimodal, text_only};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use images::{encoded, png_claiming};
use serde_json::Value;

const MODEL: &str = "jina-clip-v2";

/// A square of one colour, with a faint pattern so it is a real picture.
fn square(colour: [u8; 3]) -> Vec<u8> {
    let image = RgbImage::from_fn(64, 64, |x, y| {
        let shade = ((x + y) % 8) as u8;
        Rgb(colour.map(|c| c.saturating_sub(shade)))
    });
    encoded(&DynamicImage::ImageRgb8(image), ImageFormat::Png)
}

/// A server answering `/embeddings` with `embed` and chat with a short reply.
async fn server(embed: fn(&Received) -> Answer) -> Hostile {
    Hostile::start(move |request, _| {
        if request.path.ends_with("/embeddings") {
            embed(request)
        } else {
            Answer::reply(&["The red one [1]."])
        }
    })
    .await
}

/// The folder: two red images (one named for its colour, one not), a blue one, a note.
fn pictures(rig: &Rig) {
    rig.write("red.png", square([230, 20, 20]));
    rig.write("holiday/sunset.jpg", {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(48, 32, Rgb([250, 40, 10])));
        encoded(&image, ImageFormat::Jpeg)
    });
    rig.write("blue.png", square([20, 30, 230]));
    rig.write("notes.md", "The harbour tides turn twice a day.");
}

async fn image_base(rig: &Rig, images: bool) -> KnowledgeBase {
    let mut input = input("Pictures", Some(builtin::ID));
    input.embedding_model = MODEL.into();
    input.index_images = images;
    let kb = rig.api.create_knowledge_base(&input).await.unwrap();
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.settle(&kb.id).await;
    kb
}

async fn files(rig: &Rig, kb_id: &str) -> Vec<(String, FileStatus, Option<String>, bool)> {
    let page = rig
        .api
        .list_knowledge_files(kb_id, None, 0, 100)
        .await
        .unwrap();
    page.files
        .into_iter()
        .map(|f| (file_name(&f.path), f.status, f.error, f.image))
        .collect()
}

#[tokio::test]
async fn a_question_in_words_finds_the_images_of_its_colour() {
    let server = server(multimodal).await;
    let rig = Rig::at(server.base_url()).await;
    pictures(&rig);
    let kb = image_base(&rig, true).await;
    let mut listed = files(&rig, &kb.id).await;
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        listed,
        [
            ("blue.png".into(), FileStatus::Indexed, None, true),
            ("notes.md".into(), FileStatus::Indexed, None, false),
            ("red.png".into(), FileStatus::Indexed, None, true),
            ("sunset.jpg".into(), FileStatus::Indexed, None, true),
        ]
    );
    assert_eq!(rig.base(&kb.id).await.dimensions, Some(4));
    // Each image went as Jina's image input, a data URL of the image scaled and re-encoded.
    let image_requests: Vec<Received> = server.received().into_iter().filter(has_image).collect();
    assert_eq!(image_requests.len(), 3);
    for request in &image_requests {
        assert_eq!(request.body["model"], MODEL);
        let url = request.body["input"][0]["image"].as_str().unwrap();
        assert!(url.starts_with("data:image/"), "{}", &url[..30]);
    }

    let found = rig
        .api
        .search_knowledge(&kb.id, "Which picture shows a square that is RED?", 5)
        .await
        .unwrap();
    let titles: Vec<&str> = found.hits.iter().map(|h| h.title.as_str()).collect();
    assert!(found.semantic);
    assert_eq!(titles.len(), 2, "the red ones only: {titles:?}");
    assert!(titles.contains(&"red.png") && titles.contains(&"sunset.jpg"));
    for hit in &found.hits {
        assert!(hit.image, "a hit says it is an image");
        assert_eq!(hit.via, ["vector"], "found by the pixels' vector");
    }
    let blue = rig
        .api
        .search_knowledge(&kb.id, "something blue", 5)
        .await
        .unwrap();
    let titles: Vec<&str> = blue.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["blue.png"]);

    // Unchanged images are not embedded again.
    let before = server.received().len();
    rig.api.reindex_knowledge(&kb.id).await.unwrap();
    rig.settle(&kb.id).await;
    assert_eq!(server.received().len(), before);
}

#[tokio::test]
async fn damaged_and_oversized_images_fail_with_their_codes_and_text_files_index() {
    let server = server(multimodal).await;
    let rig = Rig::at(server.base_url()).await;
    rig.write("red.png", square([230, 20, 20]));
    rig.write(
        "broken.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR and then nothing",
    );
    rig.write("empty.gif", b"");
    rig.write("huge.png", png_claiming(&square([1, 2, 3]), 60_000, 60_000));
    rig.write("zero.png", png_claiming(&square([1, 2, 3]), 0, 0));
    rig.write("notes.md", "The harbour tides turn twice a day.");
    let kb = image_base(&rig, true).await;
    let listed = files(&rig, &kb.id).await;
    let status = |name: &str| {
        let (_, status, error, _) = listed.iter().find(|f| f.0 == name).unwrap();
        (*status, error.clone())
    };
    let damaged = (FileStatus::Failed, Some("damaged_file".to_string()));
    assert_eq!(status("broken.png"), damaged);
    assert_eq!(status("zero.png"), damaged, "0 × 0 is damaged");
    assert_eq!(
        status("huge.png"),
        (FileStatus::Failed, Some("image_too_large".into()))
    );
    assert_eq!(
        status("empty.gif"),
        (FileStatus::Failed, Some("unsupported_file".into()))
    );
    assert_eq!(status("red.png"), (FileStatus::Indexed, None));
    assert_eq!(status("notes.md"), (FileStatus::Indexed, None));
    assert_eq!(
        server.received().iter().filter(|r| has_image(r)).count(),
        1,
        "only the good image went to the provider"
    );
}

#[tokio::test]
async fn a_model_that_refuses_images_fails_them_clearly_and_the_run_goes_on() {
    let server = server(text_only).await;
    let rig = Rig::at(server.base_url()).await;
    pictures(&rig);
    let kb = image_base(&rig, true).await;
    let progress = rig.api.knowledge_progress(&kb.id).await.unwrap();
    assert_eq!(progress.stopped_by, None, "the run was not stopped");
    let no_images = Some("embedding_model_no_images".to_string());
    for (name, status, error, image) in files(&rig, &kb.id).await {
        if image {
            assert_eq!((status, &error), (FileStatus::Failed, &no_images), "{name}");
        } else {
            assert_eq!((status, error), (FileStatus::Indexed, None), "{name}");
        }
    }
    let found = rig
        .api
        .search_knowledge(&kb.id, "harbour tides", 5)
        .await
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert!(!found.hits[0].image);
}

#[tokio::test]
async fn with_the_setting_off_images_are_never_read_and_turning_it_on_and_off_follows() {
    let server = server(multimodal).await;
    let rig = Rig::at(server.base_url()).await;
    pictures(&rig);
    let kb = image_base(&rig, false).await;
    let names: Vec<String> = files(&rig, &kb.id).await.into_iter().map(|f| f.0).collect();
    assert_eq!(names, ["notes.md"]);
    assert!(!server.received().iter().any(has_image));
    // A single image cannot be added to a base that reads no images.
    let alone = rig.folder().join("red.png");
    assert!(
        rig.api
            .add_knowledge_source(&kb.id, alone.to_str().unwrap())
            .await
            .is_err()
    );

    let mut on = input("Pictures", Some(builtin::ID));
    on.embedding_model = MODEL.into();
    on.index_images = true;
    let changed = rig.api.update_knowledge_base(&kb.id, &on).await.unwrap();
    assert!(changed.index_images);
    rig.settle(&kb.id).await;
    assert_eq!(rig.base(&kb.id).await.counts.indexed, 4);
    assert_eq!(server.received().iter().filter(|r| has_image(r)).count(), 3);

    on.index_images = false;
    rig.api.update_knowledge_base(&kb.id, &on).await.unwrap();
    rig.settle(&kb.id).await;
    let base = rig.base(&kb.id).await;
    assert_eq!((base.counts.files, base.counts.chunks), (1, 1));
    let found = rig
        .api
        .search_knowledge(&kb.id, "a red square", 5)
        .await
        .unwrap();
    assert!(found.hits.is_empty(), "the images are forgotten: {found:?}");
}

/// Asks `question` in a new conversation that searches `kb_id`; the reply's parts and the
/// chat request the server got.
async fn ask(rig: &Rig, server: &Hostile, kb_id: &str, question: &str) -> (Vec<Part>, Value) {
    let conversation = rig.api.create_conversation(None).await.unwrap().id;
    rig.api
        .set_conversation_knowledge(&conversation, &[kb_id.to_string()])
        .await
        .unwrap();
    let (sink, mut rx) = channel();
    rig.api
        .send_message(&conversation, question, Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    let parts = match events.last() {
        Some(ChatEvent::Done { message }) => message.parts.clone(),
        other => panic!("the reply did not finish: {other:?}"),
    };
    let request = server.chat_requests().last().unwrap().body.clone();
    (parts, request)
}

fn image_parts(message: &Value) -> Vec<String> {
    message["content"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .filter(|p| p["type"] == "image_url")
                .map(|p| {
                    p["image_url"]["url"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_found_image_is_cited_named_and_sent_only_to_a_model_that_sees_images() {
    let server = server(multimodal).await;
    let rig = Rig::at(server.base_url()).await;
    rig.write("red.png", square([230, 20, 20]));
    rig.write("blue.png", square([20, 30, 230]));
    let kb = image_base(&rig, true).await;

    // The built-in model (gpt-4o-mini) sees images: the red one goes with the question.
    let (parts, request) = ask(&rig, &server, &kb.id, "Show me the red square").await;
    let Part::Citation {
        source,
        title,
        snippet,
        image,
        ..
    } = &parts[1]
    else {
        panic!("a citation: {parts:?}");
    };
    assert!(source.ends_with("red.png") && title == "red.png" && *image);
    assert!(snippet.is_empty());
    assert_eq!(
        parts
            .iter()
            .filter(|p| matches!(p, Part::Citation { .. }))
            .count(),
        1
    );
    let messages = request["messages"].as_array().unwrap();
    let context = messages[messages.len() - 2]["content"].as_str().unwrap();
    assert!(context.contains("[1] red.png") && context.contains(source.as_str()));
    assert!(context.contains("attached to the question"), "{context}");
    let question = messages.last().unwrap();
    let images = image_parts(question);
    assert_eq!(images.len(), 1, "{question}");
    assert!(images[0].starts_with("data:image/"));
    assert!(!context.contains("blue.png"), "never an image not found");

    // A model said not to see images: the image is named, not sent.
    rig.api
        .set_model_vision(builtin::ID, "gpt-4o-mini", Some(false))
        .await
        .unwrap();
    let (parts, request) = ask(&rig, &server, &kb.id, "Show me the red square").await;
    assert!(matches!(&parts[1], Part::Citation { image: true, .. }));
    let messages = request["messages"].as_array().unwrap();
    let context = messages[messages.len() - 2]["content"].as_str().unwrap();
    assert!(context.contains("[1] red.png") && context.contains("not shown to you"));
    assert!(
        messages.iter().all(|m| image_parts(m).is_empty()),
        "no image to a model that cannot see"
    );
}
