//! Images made by the tests themselves, in each format the app reads.

#![allow(dead_code)] // each test binary uses a part of it

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// An opaque image with a gradient (so that scaling and encoding have something to do).
pub fn opaque(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }))
}

/// An image whose left half is transparent.
pub fn half_transparent(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, _| {
        Rgba([200, 30, 30, if x < width / 2 { 0 } else { 255 }])
    }))
}

pub fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encodes");
    bytes
}

/// `jpeg` with an EXIF block put right after its start: orientation 6 (turn 90° clockwise
/// to show) and a GPS block with a latitude reference.
pub fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0: two entries, then the offset of the next IFD (none).
    tiff.extend([0x00, 0x02]);
    tiff.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]); // Orientation = 6
    let gps_at: u32 = 8 + 2 + 2 * 12 + 4;
    tiff.extend([0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1]); // GPSInfo, LONG
    tiff.extend(gps_at.to_be_bytes());
    tiff.extend([0, 0, 0, 0]);
    // The GPS IFD: GPSLatitudeRef = "N".
    tiff.extend([0x00, 0x01]);
    tiff.extend([0x00, 0x01, 0x00, 0x02, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(tiff);
    let length = u16::try_from(app1.len() + 2).expect("small");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(length.to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// `png` with the size in its header changed to `width` × `height` (the CRC made right
/// again): the file of a decompression bomb, without the bytes.
pub fn png_claiming(png: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = png.to_vec();
    // Signature (8), length (4), "IHDR" (4), then width and height.
    out[16..20].copy_from_slice(&width.to_be_bytes());
    out[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}
