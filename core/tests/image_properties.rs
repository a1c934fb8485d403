//! Property tests for the image reader: PNG, JPEG (with EXIF), GIF and WebP files the test
//! makes, then mutates — bytes changed, inserted, removed, cut off, repeated, and sizes in
//! their headers set to extreme values. Each must end in a prepared image or a typed
//! problem, never a panic, and within a bounded time. Case counts are in RELIABILITY.md.

#[path = "common/images.rs"]
mod images;
#[path = "common/mutation.rs"]
mod mutation;

use std::time::{Duration, Instant};

use confab_core::attachments::image::{MAX_STORED_SIDE, prepare};
use confab_core::{Error, ErrorCode};
use image::ImageFormat;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const CASES_PER_FORMAT: u32 = 256;
/// Far above what any case takes (a few ms; the largest valid picture a mutation can claim,
/// about a second), far below a hang.
const MOST_TIME: Duration = Duration::from_secs(20);

fn check(base: &[u8]) {
    let mut runner = TestRunner::new(Config {
        cases: CASES_PER_FORMAT,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = prop::collection::vec(mutation::binary_mutation(), 1..6);
    runner
        .run(&strategy, |mutations| {
            let bytes = mutation::mutate(base, &mutations);
            let started = Instant::now();
            let outcome = prepare(&bytes, "file");
            let took = started.elapsed();
            prop_assert!(took < MOST_TIME, "took {took:?}");
            match outcome {
                Ok(prepared) => {
                    prop_assert!(prepared.width.max(prepared.height) <= MAX_STORED_SIDE);
                    prop_assert!(prepared.width > 0 && prepared.height > 0);
                    let back = image::load_from_memory(&prepared.data)
                        .map_err(|error| TestCaseError::fail(error.to_string()))?;
                    prop_assert_eq!(
                        (back.width(), back.height()),
                        (prepared.width, prepared.height)
                    );
                }
                Err(error) => {
                    prop_assert_eq!(error.code(), ErrorCode::InvalidInput, "{}", error);
                    prop_assert!(
                        matches!(error, Error::InvalidInput(ref problems) if problems.len() == 1)
                    );
                }
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn mutated_png_files_are_read_or_refused() {
    check(&images::encoded(&images::opaque(40, 30), ImageFormat::Png));
    check(&images::encoded(
        &images::half_transparent(24, 24),
        ImageFormat::Png,
    ));
}

#[test]
fn mutated_jpeg_files_are_read_or_refused() {
    let jpeg = images::encoded(&images::opaque(40, 30), ImageFormat::Jpeg);
    check(&images::with_exif(&jpeg));
}

#[test]
fn mutated_gif_and_webp_files_are_read_or_refused() {
    check(&images::encoded(
        &images::half_transparent(24, 16),
        ImageFormat::Gif,
    ));
    check(&images::encoded(&images::opaque(24, 16), ImageFormat::WebP));
}

/// Found by the property test above: a GIF whose header says 0 × 0 decoded to no pixels and
/// failed in the encoder as an internal error; it is a damaged file, said as such.
#[test]
fn an_image_of_no_pixels_is_refused_as_damaged() {
    let mut gif = images::encoded(&images::opaque(8, 8), ImageFormat::Gif);
    gif[6..10].copy_from_slice(&[0, 0, 0, 0]);
    let error = confab_core::attachments::image::prepare(&gif, "file").unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
}
