//! Reading an import file as a stream of conversations, on a blocking thread.
//!
//! The file is parsed as it is read and each conversation is handed over a bounded channel,
//! so memory stays bounded by a few conversations whatever the size of the file. A Confab
//! conversation is read message by message into records (see [`super::conversation`]), and
//! no single message, nor any other single value of the file, may take more than
//! [`MAX_MESSAGE_JSON_BYTES`] while it is read. A ChatGPT conversation is a tree that must be
//! whole before it can be walked; each of its nodes is cut down to what the
//! importer reads as it arrives (see [`super::compact`]). The attachments of a Confab file
//! are read one at a time too, each within [`super::attachments::max_element_bytes`], and
//! checked here, on the reading thread. A malformed file stops the read at the place it
//! breaks.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tokio::sync::mpsc;

use super::ImportKind;
use super::attachments::{self, IncomingBlob};
use super::compact::ChatgptSeed;
use super::conversation::{ConversationSeed, ElementLimit, MAX_MESSAGE_JSON_BYTES, Streamed};
use crate::problem::{Problem, Rule};
use crate::transfer::{CONVERSATIONS_FORMAT, CONVERSATIONS_VERSION};

/// One conversation of the file, with its place in the list.
pub struct Item {
    pub index: usize,
    pub payload: Payload,
}

pub enum Payload {
    Confab(Streamed),
    Chatgpt(Value),
    /// An element of a Confab file's attachments, checked.
    Blob(Result<IncomingBlob, Box<Problem>>),
}

/// Why reading ended early.
#[derive(Debug)]
pub enum ReadError {
    /// The file is not what it should be; the text says where.
    Problem(String),
    /// The file is not what it should be, said as a typed problem.
    Found(Box<Problem>),
    /// The other side stopped listening (it failed on its own).
    Stopped,
}

/// Reads `file` as `kind`, sending each conversation (and attachment) to `items` and
/// counting the bytes read in `read_bytes`; no attachment may be over `max_blob_bytes`.
/// Returns how many conversations the file has.
pub fn read(
    file: File,
    kind: ImportKind,
    read_bytes: Arc<AtomicU64>,
    items: mpsc::Sender<Item>,
    max_blob_bytes: u64,
) -> Result<usize, ReadError> {
    let limit = Arc::new(ElementLimit::new(Arc::clone(&read_bytes)));
    let counting = Counting {
        inner: file,
        count: read_bytes,
        limit: Arc::clone(&limit),
    };
    let mut json =
        serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, counting));
    let mut state = State {
        items,
        kind,
        limit,
        sent: 0,
        stop: None,
        format: None,
        version: None,
        list_seen: false,
        max_blob_bytes,
        blob: None,
    };
    let parsed = match kind {
        ImportKind::Confab => json.deserialize_any(Document(&mut state)),
        ImportKind::Chatgpt => json.deserialize_any(List(&mut state)),
    };
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    if state.limit.tripped()
        && let Some(index) = state.blob
    {
        return Err(ReadError::Found(Box::new(Problem::limit(
            format!("attachments[{index}].data"),
            Rule::TooLarge,
            state.max_blob_bytes,
        ))));
    }
    if state.limit.tripped() {
        return Err(problem(format!(
            "conversations[{}]: a single message or value is larger than {} MiB; \
             a message holds at most {} MiB of text",
            state.sent,
            MAX_MESSAGE_JSON_BYTES >> 20,
            super::MAX_MESSAGE_BYTES >> 20
        )));
    }
    parsed
        .and_then(|()| json.end())
        .map_err(|error| ReadError::Problem(format!("the file is not valid JSON: {error}")))?;
    if kind == ImportKind::Confab {
        if state.format.is_none() {
            return Err(problem(format!(
                "format: missing (expected {CONVERSATIONS_FORMAT:?}; not a Confab conversations file)"
            )));
        }
        if state.version.is_none() {
            return Err(problem("version: missing".into()));
        }
        if !state.list_seen {
            return Err(problem("conversations: missing".into()));
        }
    }
    Ok(state.sent)
}

fn problem(text: String) -> ReadError {
    ReadError::Problem(text)
}

struct State {
    items: mpsc::Sender<Item>,
    kind: ImportKind,
    limit: Arc<ElementLimit>,
    sent: usize,
    /// Set when reading stops for a reason of ours (the parser then only sees "stopped").
    stop: Option<ReadError>,
    format: Option<String>,
    version: Option<u64>,
    list_seen: bool,
    max_blob_bytes: u64,
    /// The attachment being read.
    blob: Option<usize>,
}

impl State {
    fn halt<E: de::Error>(&mut self, reason: ReadError) -> E {
        self.stop = Some(reason);
        E::custom("stopped")
    }
}

/// A Confab document: `{ "format", "version", "conversations": [...] }`.
struct Document<'a>(&'a mut State);

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Confab conversations file (a JSON object)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.halt(problem(
            "the file is a list, not a Confab conversations file (is it ChatGPT's conversations.json?)"
                .into(),
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.0.limit.mark(MAX_MESSAGE_JSON_BYTES);
            match key.as_str() {
                "format" => {
                    let value: Value = map.next_value()?;
                    if value.as_str() != Some(CONVERSATIONS_FORMAT) {
                        return Err(self.0.halt(problem(format!(
                            "format: expected {CONVERSATIONS_FORMAT:?}, found {value} (not a Confab conversations file)"
                        ))));
                    }
                    self.0.format = Some(CONVERSATIONS_FORMAT.into());
                }
                "version" => {
                    let value: Value = map.next_value()?;
                    match value.as_u64() {
                        Some(CONVERSATIONS_VERSION) => self.0.version = Some(CONVERSATIONS_VERSION),
                        Some(version) => {
                            return Err(self.0.halt(problem(format!(
                                "version: the file is version {version}; this app reads version {CONVERSATIONS_VERSION}"
                            ))));
                        }
                        None => {
                            return Err(self.0.halt(problem(format!(
                                "version: expected a whole number, found {value}"
                            ))));
                        }
                    }
                }
                "conversations" => {
                    self.0.list_seen = true;
                    map.next_value_seed(ListSeed(&mut *self.0))?;
                }
                "attachments" => map.next_value_seed(BlobsSeed(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ListSeed<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(List(self.0))
    }
}

/// A list of conversations, each sent on as soon as it is read.
struct List<'a>(&'a mut State);

impl<'de> Visitor<'de> for List<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of conversations")
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.halt(problem(
            "the file is an object, not ChatGPT's list of conversations (is it a Confab file?)"
                .into(),
        )))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let index = self.0.sent;
            let payload = match self.0.kind {
                ImportKind::Confab => {
                    self.0.limit.mark(MAX_MESSAGE_JSON_BYTES);
                    let seed = ConversationSeed {
                        index,
                        limit: &self.0.limit,
                    };
                    seq.next_element_seed(seed)?.map(Payload::Confab)
                }
                ImportKind::Chatgpt => {
                    self.0.limit.mark(MAX_MESSAGE_JSON_BYTES);
                    let seed = ChatgptSeed {
                        limit: &self.0.limit,
                    };
                    seq.next_element_seed(seed)?.map(Payload::Chatgpt)
                }
            };
            let Some(payload) = payload else {
                break;
            };
            let item = Item { index, payload };
            if self.0.items.blocking_send(item).is_err() {
                return Err(self.0.halt(ReadError::Stopped));
            }
            self.0.sent += 1;
        }
        Ok(())
    }
}

/// A Confab file's attachments, each checked and sent on as soon as it is read.
struct BlobsSeed<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for BlobsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BlobsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of attachments")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let max = self.0.max_blob_bytes;
        let mut index = 0;
        loop {
            self.0.blob = Some(index);
            self.0.limit.mark(attachments::max_element_bytes(max));
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            let checked = attachments::check(&value, index, max);
            drop(value);
            let item = Item {
                index,
                payload: Payload::Blob(checked),
            };
            if self.0.items.blocking_send(item).is_err() {
                return Err(self.0.halt(ReadError::Stopped));
            }
            index += 1;
        }
        self.0.blob = None;
        Ok(())
    }
}

/// Counts the bytes read, for progress, and stops at an element over its limit.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
    limit: Arc<ElementLimit>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        self.limit.check()?;
        Ok(read)
    }
}
