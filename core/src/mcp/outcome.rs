//! A tool's result as the model gets it: text joined and capped, images decoded within
//! bounds, anything else named in a short note.

use base64::Engine as _;
use rmcp::model::{CallToolResult, ContentBlock, ResourceContents};

use super::McpOutcome;

/// Largest image kept, decoded.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Images kept per result.
pub const MAX_IMAGES: usize = 8;

/// Text joined up to a cap; what goes past it is counted, not kept.
struct Capped {
    text: String,
    max: usize,
    cut: usize,
}

impl Capped {
    fn push(&mut self, part: &str) {
        if !self.text.is_empty() {
            self.add("\n");
        }
        self.add(part);
    }

    fn add(&mut self, part: &str) {
        let room = self.max.saturating_sub(self.text.len());
        if part.len() <= room {
            self.text.push_str(part);
        } else {
            let fits = part.floor_char_boundary(room);
            self.text.push_str(&part[..fits]);
            self.cut += part.len() - fits;
        }
    }

    fn finish(mut self) -> String {
        if self.cut > 0 {
            self.text
                .push_str(&format!("\n[… {} bytes more cut]", self.cut));
        }
        self.text
    }
}

pub fn from_result(result: CallToolResult, max_bytes: usize) -> McpOutcome {
    let mut text = Capped {
        text: String::new(),
        max: max_bytes,
        cut: 0,
    };
    let mut images = Vec::new();
    let has_content = !result.content.is_empty();
    for block in result.content {
        match block {
            ContentBlock::Text(part) => text.push(&part.text),
            ContentBlock::Image(image) => match image_bytes(&image.mime_type, &image.data) {
                Ok(bytes) if images.len() < MAX_IMAGES => images.push((image.mime_type, bytes)),
                Ok(_) => text.push("[an image was left out: too many images]"),
                Err(why) => text.push(&format!("[an image was left out: {why}]")),
            },
            ContentBlock::Audio(audio) => text.push(&format!(
                "[audio ({}) left out]",
                capped_line(&audio.mime_type, 100)
            )),
            ContentBlock::Resource(embedded) => match embedded.resource {
                ResourceContents::TextResourceContents {
                    uri, text: body, ..
                } => {
                    text.push(&format!("[resource {}]", capped_line(&uri, 512)));
                    text.push(&body);
                }
                ResourceContents::BlobResourceContents { uri, mime_type, .. } => {
                    text.push(&format!(
                        "[resource {} ({}) left out: not text]",
                        capped_line(&uri, 512),
                        capped_line(mime_type.as_deref().unwrap_or("binary"), 100)
                    ));
                }
                _ => text.push("[a resource of an unknown kind was left out]"),
            },
            ContentBlock::ResourceLink(link) => text.push(&format!(
                "[resource link {} ({})]",
                capped_line(&link.uri, 512),
                capped_line(&link.name, 200)
            )),
            _ => text.push("[a part of an unknown kind was left out]"),
        }
    }
    if !has_content && let Some(structured) = result.structured_content {
        text.push(&structured.to_string());
    }
    McpOutcome {
        text: text.finish(),
        images,
        is_error: result.is_error.unwrap_or(false),
    }
}

/// An image's bytes, refused before decoding when too large or not an image.
fn image_bytes(mime: &str, data: &str) -> Result<Vec<u8>, String> {
    if !mime.starts_with("image/") || mime.len() > 100 {
        return Err("not an image type".into());
    }
    if data.len() / 4 * 3 > MAX_IMAGE_BYTES {
        return Err(format!("larger than {} MiB", MAX_IMAGE_BYTES >> 20));
    }
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| "not valid base64".to_string())
}

/// One line of outside text, at most `max` bytes, for a message or a note.
pub fn capped_line(text: &str, max: usize) -> String {
    let line = text.replace(['\n', '\r'], " ");
    if line.len() <= max {
        return line;
    }
    format!("{}…", &line[..line.floor_char_boundary(max)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_capped_on_a_character_boundary_with_a_note() {
        let result = CallToolResult::success(vec![
            ContentBlock::text("ab"),
            ContentBlock::text("中文中文"),
        ]);
        let outcome = from_result(result, 7);
        assert_eq!(outcome.text, "ab\n中\n[… 9 bytes more cut]");
        assert!(!outcome.is_error);
    }

    #[test]
    fn bad_images_are_named_not_kept() {
        let result = CallToolResult::error(vec![
            ContentBlock::image("@@@", "image/png"),
            ContentBlock::image("aGk=", "text/html"),
            ContentBlock::image("aGk=", "image/png"),
        ]);
        let outcome = from_result(result, 1000);
        assert!(outcome.is_error);
        assert_eq!(outcome.images, [("image/png".to_string(), b"hi".to_vec())]);
        assert_eq!(
            outcome.text,
            "[an image was left out: not valid base64]\n[an image was left out: not an image type]"
        );
    }
}
