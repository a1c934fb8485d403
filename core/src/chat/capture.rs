//! The debug record of a reply (the debug capture setting): the request as sent, without
//! headers, and the provider's chunks as received, up to a bound.

/// Most raw chunks a debug record keeps, and most bytes of them; a longer reply keeps its
/// first ones and a count (a hostile provider's chunks can be megabytes each).
const DEBUG_MAX_CHUNKS: usize = 20_000;
const DEBUG_MAX_BYTES: usize = 16 << 20;

/// The request as sent (without headers) and the provider's chunks as received.
pub(super) struct DebugRecord {
    request: serde_json::Value,
    chunks: Vec<serde_json::Value>,
    bytes: usize,
    dropped: usize,
}

impl DebugRecord {
    pub fn new(request: serde_json::Value) -> Self {
        Self {
            request,
            chunks: Vec::new(),
            bytes: 0,
            dropped: 0,
        }
    }

    pub fn push(&mut self, chunk: serde_json::Value) {
        let size = serde_json::to_vec(&chunk).map_or(usize::MAX, |json| json.len());
        if self.chunks.len() < DEBUG_MAX_CHUNKS
            && self.bytes.saturating_add(size) <= DEBUG_MAX_BYTES
        {
            self.bytes += size;
            self.chunks.push(chunk);
        } else {
            self.dropped += 1;
        }
    }

    pub fn into_json(self) -> serde_json::Value {
        serde_json::json!({
            "request": self.request,
            "response": { "chunks": self.chunks, "chunksNotKept": self.dropped },
        })
    }
}
