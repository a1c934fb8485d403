//! Attaching files, on a real SQLite file with images the tests make: what a file is comes
//! from its bytes; images are turned upright, scaled to at most 2048 px, encoded again
//! without their metadata, and stored once; text documents are stored as they are; every
//! file that cannot be attached says why with a typed problem. Documents of other formats:
//! `attachments_documents.rs`; the commands: `attachments_api.rs`.

mod common;
#[path = "common/images.rs"]
mod images;

use common::{TempDb, params_of, problem_of, row_count};
use confab_core::Rule;
use confab_core::attachments::{self, Reading, image::MAX_IMAGE_BYTES};
use confab_core::store::blobs;
use confab_core::vocab::Part;
use image::{GenericImageView, ImageFormat};

/// The stored image of `part`, decoded, with its mime and its stored bytes.
async fn stored_image(temp: &TempDb, part: &Part) -> (image::DynamicImage, String, Vec<u8>) {
    let Part::Image { sha256, mime, .. } = part else {
        panic!("an image part: {part:?}");
    };
    let blob = blobs::get(temp.db.conn(), sha256).await.expect("stored");
    assert_eq!(&blob.mime, mime);
    let decoded = image::load_from_memory(&blob.data).expect("decodes");
    (decoded, blob.mime, blob.data)
}

fn size_of(part: &Part) -> (u32, u32) {
    match part {
        Part::Image { width, height, .. } => (*width, *height),
        other => panic!("an image part: {other:?}"),
    }
}

#[tokio::test]
async fn an_opaque_image_is_stored_as_jpeg_and_a_large_one_is_scaled_down() {
    let temp = TempDb::new().await;
    let png = images::encoded(&images::opaque(300, 200), ImageFormat::Png);
    // The name says text; the bytes say PNG.
    let part = attachments::attach(temp.db.conn(), "/home/me/notes.txt", png)
        .await
        .expect("attached");
    assert!(matches!(&part, Part::Image { name: Some(name), .. } if name == "notes.txt"));
    assert_eq!(size_of(&part), (300, 200));
    let (decoded, mime, _) = stored_image(&temp, &part).await;
    assert_eq!(mime, "image/jpeg");
    assert_eq!(decoded.dimensions(), (300, 200));

    let large = images::encoded(&images::opaque(3000, 1500), ImageFormat::Jpeg);
    let part = attachments::attach(temp.db.conn(), "big.jpg", large)
        .await
        .expect("attached");
    assert_eq!(size_of(&part), (2048, 1024), "long side 2048, aspect kept");
    let (decoded, _, _) = stored_image(&temp, &part).await;
    assert_eq!(decoded.dimensions(), (2048, 1024));

    let tall = images::encoded(&images::opaque(500, 5000), ImageFormat::Png);
    let part = attachments::attach(temp.db.conn(), "tall.png", tall)
        .await
        .expect("attached");
    assert_eq!(size_of(&part), (205, 2048));
}

#[tokio::test]
async fn transparency_is_kept_as_png_from_png_gif_and_webp() {
    let temp = TempDb::new().await;
    let picture = images::half_transparent(64, 32);
    for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Gif] {
        let bytes = images::encoded(&picture, format);
        let part = attachments::attach(temp.db.conn(), "sticker", bytes)
            .await
            .unwrap_or_else(|error| panic!("{format:?}: {error}"));
        let (decoded, mime, _) = stored_image(&temp, &part).await;
        assert_eq!(mime, "image/png", "{format:?}");
        let rgba = decoded.to_rgba8();
        assert_eq!(rgba.get_pixel(0, 0).0[3], 0, "{format:?}: left is clear");
        assert_eq!(rgba.get_pixel(63, 0).0[3], 255, "{format:?}: right is not");
    }
}

#[tokio::test]
async fn an_animated_gif_gives_its_first_frame() {
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame, Rgba, RgbaImage};

    let temp = TempDb::new().await;
    let red = RgbaImage::from_pixel(20, 10, Rgba([255, 0, 0, 255]));
    let blue = RgbaImage::from_pixel(20, 10, Rgba([0, 0, 255, 255]));
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        let delay = Delay::from_numer_denom_ms(100, 1);
        encoder
            .encode_frames([
                Frame::from_parts(red, 0, 0, delay),
                Frame::from_parts(blue, 0, 0, delay),
            ])
            .expect("encodes");
    }
    let part = attachments::attach(temp.db.conn(), "anim.gif", gif)
        .await
        .expect("attached");
    let (decoded, mime, _) = stored_image(&temp, &part).await;
    assert_eq!(mime, "image/jpeg");
    let pixel = decoded.to_rgb8().get_pixel(10, 5).0;
    assert!(
        pixel[0] > 200 && pixel[2] < 60,
        "the first frame, red: {pixel:?}"
    );
}

#[tokio::test]
async fn exif_is_dropped_after_the_picture_is_turned_upright() {
    let temp = TempDb::new().await;
    let jpeg = images::encoded(&images::opaque(40, 20), ImageFormat::Jpeg);
    let tagged = images::with_exif(&jpeg);
    assert!(contains(&tagged, b"Exif\0\0"), "the input carries EXIF");
    let part = attachments::attach(temp.db.conn(), "IMG_0001.JPG", tagged)
        .await
        .expect("attached");
    assert_eq!(size_of(&part), (20, 40), "orientation 6 applied");
    let (_, _, data) = stored_image(&temp, &part).await;
    assert!(!contains(&data, b"Exif"), "no EXIF block out");
    assert!(!contains(&data, &[0x88, 0x25]), "no GPS pointer out");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn decompression_bombs_are_refused_before_they_are_decoded() {
    let temp = TempDb::new().await;
    let small = images::encoded(&images::opaque(8, 8), ImageFormat::Png);
    // Over the side limit, and under it but over the memory limit (12,000² RGB = 432 MB).
    for (width, height) in [(20_000, 20_000), (12_000, 12_000), (16_385, 1)] {
        let bomb = images::png_claiming(&small, width, height);
        let started = std::time::Instant::now();
        let error = attachments::attach(temp.db.conn(), "bomb.png", bomb)
            .await
            .expect_err("refused");
        assert_eq!(problem_of(&error), ("file".into(), Rule::ImageTooLarge));
        assert!(started.elapsed().as_secs() < 2, "{width}×{height}");
    }
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn broken_oversized_and_unknown_images_say_why() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let png = images::encoded(&images::opaque(64, 64), ImageFormat::Png);
    let error = attachments::attach(conn, "cut.png", png[..png.len() / 2].to_vec())
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error), ("file".into(), Rule::Malformed));

    let mut huge = png.clone();
    huge.resize(MAX_IMAGE_BYTES + 1, 0);
    let error = attachments::attach(conn, "huge.png", huge)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error), ("file".into(), Rule::TooLarge));

    // A BMP's header (this app does not read BMP).
    let bmp = b"BM\x36\x30\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\xff\xfe".to_vec();
    let error = attachments::attach(conn, "old.bmp", bmp)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error), ("file".into(), Rule::UnsupportedFile));
    assert_eq!(params_of(&error).value.as_deref(), Some("bmp"));
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn the_same_image_attached_twice_is_stored_once() {
    let temp = TempDb::new().await;
    let png = images::encoded(&images::opaque(50, 50), ImageFormat::Png);
    let first = attachments::attach(temp.db.conn(), "a.png", png.clone())
        .await
        .expect("attached");
    let second = attachments::attach(temp.db.conn(), "b.png", png)
        .await
        .expect("attached");
    let sha = |part: &Part| match part {
        Part::Image { sha256, .. } => sha256.clone(),
        _ => panic!("image"),
    };
    assert_eq!(sha(&first), sha(&second));
    assert_eq!(row_count(&temp.db, "blobs").await, 1);
}

#[tokio::test]
async fn text_documents_are_stored_as_they_are() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    for (name, content, mime) in [
        ("说明.md", "# 标题\n\nSome *Markdown*.\n", "text/markdown"),
        ("data.csv", "a,b\n1,2\n", "text/csv"),
        ("config.json", "{\"k\": [1, 2]}", "application/json"),
        ("main.rs", "fn main() {}\n", "text/plain"),
        ("picture.png", "not a picture at all", "text/plain"),
    ] {
        let part = attachments::attach(conn, name, content.as_bytes().to_vec())
            .await
            .expect("attached");
        let Part::File {
            sha256,
            name: stored_name,
            mime: stored_mime,
            bytes,
            ..
        } = &part
        else {
            panic!("a file part: {part:?}");
        };
        assert_eq!((stored_name.as_str(), stored_mime.as_str()), (name, mime));
        assert_eq!(*bytes, content.len() as u64);
        let blob = blobs::get(conn, sha256).await.expect("stored");
        assert_eq!(blob.data, content.as_bytes());
    }
}

#[tokio::test]
async fn files_that_cannot_be_read_say_why() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let legacy_doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec();
    let cases: [(&str, Vec<u8>, Rule, Option<&str>); 7] = [
        (
            "paper.pdf",
            b"%PDF-1.7\n%\xe2\xe3\n1 0 obj".to_vec(),
            Rule::DamagedFile,
            Some("pdf"),
        ),
        (
            "report.docx",
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            Rule::DamagedFile,
            None,
        ),
        (
            "app.exe",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff".to_vec(),
            Rule::UnsupportedFile,
            None,
        ),
        ("old.doc", legacy_doc, Rule::UnsupportedFile, None),
        (
            "photo.heic",
            b"\0\0\0\x18ftypheic\0\0\0\0".to_vec(),
            Rule::UnsupportedFile,
            Some("heic/avif/mp4"),
        ),
        // "你好" in GBK, a common encoding of Chinese text files.
        (
            "旧.txt",
            vec![0xc4, 0xe3, 0xba, 0xc3, b'\n'],
            Rule::NotUtf8,
            None,
        ),
        (
            "data.bin",
            b"abc\0def".to_vec(),
            Rule::UnsupportedFile,
            None,
        ),
    ];
    for (name, bytes, rule, value) in cases {
        let error = attachments::attach(conn, name, bytes)
            .await
            .expect_err(name);
        assert_eq!(problem_of(&error), ("file".into(), rule), "{name}");
        assert_eq!(params_of(&error).value.as_deref(), value, "{name}");
    }
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_whatever_it_is() {
    let temp = TempDb::new().await;
    let reading = Reading::new(1000);
    let png = images::encoded(&images::opaque(64, 64), ImageFormat::Png);
    for (name, mut bytes) in [("a.txt", vec![b'a'; 1001]), ("b.png", png)] {
        bytes.resize(bytes.len().max(1001), 0);
        let error = attachments::attach_with(temp.db.conn(), name, bytes, &reading)
            .await
            .expect_err(name);
        assert_eq!(
            problem_of(&error),
            ("file".into(), Rule::TooLarge),
            "{name}"
        );
        assert_eq!(params_of(&error).max, Some(1000), "{name}");
    }
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}
