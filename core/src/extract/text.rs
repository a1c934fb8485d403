//! Text files: UTF-8 (with or without a byte-order mark) and UTF-16 with one. Anything
//! else is refused as binary rather than guessed at.

use super::ExtractError;

pub(super) fn decode(bytes: &[u8]) -> Result<String, ExtractError> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)?
    } else {
        utf8(bytes)?
    };
    // NUL is valid UTF-8 but no text file holds it; binary data mostly does.
    if text.contains('\0') {
        return Err(ExtractError::NotText);
    }
    Ok(text)
}

fn utf8(bytes: &[u8]) -> Result<String, ExtractError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| ExtractError::NotText)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ExtractError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ExtractError::NotText);
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| ExtractError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_and_both_utf16_orders() {
        assert_eq!(decode("héllo".as_bytes()), Ok("héllo".into()));
        assert_eq!(decode(b"\xEF\xBB\xBFhi"), Ok("hi".into()));
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("中文".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le), Ok("中文".into()));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("中文".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be), Ok("中文".into()));
    }

    #[test]
    fn refuses_invalid_utf8_nul_and_broken_utf16() {
        assert_eq!(decode(b"caf\xE9"), Err(ExtractError::NotText));
        assert_eq!(decode(b"a\0b"), Err(ExtractError::NotText));
        assert_eq!(decode(b"\xFF\xFEa"), Err(ExtractError::NotText));
        assert_eq!(decode(b"\xFF\xFE\x00\xD8"), Err(ExtractError::NotText));
    }
}
