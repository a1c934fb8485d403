//! Images made ready to store and send: decoded within limits (a decompression bomb is
//! refused before it allocates), turned upright, scaled down to what vision models use, and
//! encoded again — which leaves every metadata block (EXIF with its location, comments)
//! behind.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// The largest image file taken.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;
/// The most pixels an image may have on a side.
pub const MAX_SIDE: u32 = 16_384;
/// The most memory decoding one image may take (its pixels, decoded).
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// The long side of a stored image at most: what vision models look at.
pub const MAX_STORED_SIDE: u32 = 2048;
/// JPEG quality of an image stored without transparency.
const JPEG_QUALITY: u8 = 85;

/// The formats read, by what their bytes start with.
pub const ACCEPTED: [ImageFormat; 4] = [
    ImageFormat::Png,
    ImageFormat::Jpeg,
    ImageFormat::Gif,
    ImageFormat::WebP,
];

/// An image as stored: encoded again, at most [`MAX_STORED_SIDE`] on its long side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub data: Vec<u8>,
    /// `image/jpeg`, or `image/png` when the image has transparency.
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The accepted format `bytes` are in, by their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    image::guess_format(bytes)
        .ok()
        .filter(|format| ACCEPTED.contains(format))
}

/// Decodes `bytes` (PNG, JPEG, GIF's first frame, WebP), scales the image down to
/// [`MAX_STORED_SIDE`] and encodes it again. Any input ends in a result or a typed problem
/// at `path`, within [`MAX_DECODED_BYTES`] of pixels.
pub fn prepare(bytes: &[u8], path: &str) -> Result<Prepared> {
    prepare_within(bytes, path, MAX_STORED_SIDE)
}

/// [`prepare`], scaled down to at most `side` (itself at most [`MAX_STORED_SIDE`]) on its
/// long side.
pub fn prepare_within(bytes: &[u8], path: &str, side: u32) -> Result<Prepared> {
    let side = side.clamp(1, MAX_STORED_SIDE);
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Error::invalid(Problem::limit(
            path,
            Rule::TooLarge,
            MAX_IMAGE_BYTES,
        )));
    }
    let format = sniff(bytes).ok_or_else(|| {
        Error::invalid(Problem::new(path, Rule::UnsupportedFile).value(kind_name(bytes)))
    })?;
    let image = decode(bytes, format).map_err(|error| Error::invalid(problem(path, error)))?;
    let image = if image.width().max(image.height()) > side {
        // Fits the image in the square, keeping its aspect ratio. Area averaging in integers
        // (each source pixel adds to one target pixel): no aliasing, a shade softer than
        // Lanczos, and without the full-width floating-point copy a filtered resize makes
        // (94 MiB for a 12-megapixel photo).
        image.thumbnail(side, side)
    } else {
        image
    };
    encode(&image).map_err(|error| Error::internal("image encoding", error))
}

/// What a file that is not an accepted image looks like, for the problem (`bmp`, `tiff`),
/// or `unknown`.
fn kind_name(bytes: &[u8]) -> String {
    image::guess_format(bytes).map_or_else(
        |_| "unknown".to_string(),
        |format| {
            format
                .extensions_str()
                .first()
                .map_or("unknown", |ext| *ext)
                .to_string()
        },
    )
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

fn decode(bytes: &[u8], format: ImageFormat) -> std::result::Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder()?;
    // The limits are checked by each decoder as it sees fit; the size of the pixels is
    // checked here as well, before anything is allocated for them.
    let (width, height) = decoder.dimensions();
    // A header that says 0 × 0 is a damaged file: there is nothing to show or encode.
    if width == 0 || height == 0 {
        return Err(ImageError::Decoding(image::error::DecodingError::new(
            format.into(),
            "the image has no pixels (0 wide or 0 high)",
        )));
    }
    if width > MAX_SIDE || height > MAX_SIDE || decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(ImageError::Limits(image::error::LimitError::from_kind(
            image::error::LimitErrorKind::DimensionError,
        )));
    }
    // A camera's picture lies on its side with an EXIF note to turn it; the note does not
    // survive encoding, so the turn is applied first.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn problem(path: &str, error: ImageError) -> Problem {
    match error {
        ImageError::Limits(_) => Problem::limit(path, Rule::ImageTooLarge, MAX_SIDE),
        ImageError::Unsupported(unsupported) => {
            Problem::new(path, Rule::UnsupportedFile).detail(unsupported.to_string())
        }
        other => Problem::new(path, Rule::Malformed).detail(other.to_string()),
    }
}

fn encode(image: &DynamicImage) -> std::result::Result<Prepared, ImageError> {
    let mut data = Vec::new();
    let (width, height) = (image.width(), image.height());
    let mime = if has_transparency(image) {
        image
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut data), ImageFormat::Png)?;
        "image/png"
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, JPEG_QUALITY);
        image.to_rgb8().write_with_encoder(encoder)?;
        "image/jpeg"
    };
    Ok(Prepared {
        data,
        mime,
        width,
        height,
    })
}

/// Whether any pixel is not fully opaque (an alpha channel of all 255 is no transparency).
fn has_transparency(image: &DynamicImage) -> bool {
    if !image.color().has_alpha() {
        return false;
    }
    match image {
        DynamicImage::ImageLumaA8(pixels) => pixels.pixels().any(|p| p.0[1] < u8::MAX),
        DynamicImage::ImageRgba8(pixels) => pixels.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA16(pixels) => pixels.pixels().any(|p| p.0[1] < u16::MAX),
        DynamicImage::ImageRgba16(pixels) => pixels.pixels().any(|p| p.0[3] < u16::MAX),
        // Floating-point and future layouts: judged on their 8-bit form.
        other => other.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
    }
}
