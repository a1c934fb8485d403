//! One conversation of a Confab file, read from the stream without holding it whole: its
//! own fields become a small JSON object, and its messages are read one at a time, each
//! checked into a [`MessageRecord`] at once. Memory is then about the text of the
//! conversation, not the several times more a `serde_json::Value` of it takes; and no single
//! message can grow past [`ElementLimit`]'s cap while it is read.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::MAX_MESSAGE_BYTES;
use super::confab::{UNSET_TIME, message};
use super::fields::Problems;
use crate::transfer::MessageRecord;

/// Bytes of JSON one message may take: its text at the largest, every character escaped
/// (`\uXXXX`), and room for its other fields.
pub const MAX_MESSAGE_JSON_BYTES: u64 = 6 * MAX_MESSAGE_BYTES as u64 + (1 << 20);

/// Caps the bytes read for one element of the file: the reader fails once more than `cap`
/// bytes have been read since the last [`ElementLimit::mark`].
#[derive(Debug)]
pub struct ElementLimit {
    read: Arc<AtomicU64>,
    mark: AtomicU64,
    cap: AtomicU64,
    tripped: AtomicBool,
}

impl ElementLimit {
    pub fn new(read: Arc<AtomicU64>) -> Self {
        Self {
            read,
            mark: AtomicU64::new(0),
            cap: AtomicU64::new(u64::MAX),
            tripped: AtomicBool::new(false),
        }
    }

    /// From now on at most `cap` more bytes may be read (the reader reads ahead a buffer's
    /// worth, which the cap allows for).
    pub fn mark(&self, cap: u64) {
        self.mark
            .store(self.read.load(Ordering::Relaxed), Ordering::Relaxed);
        self.cap.store(cap, Ordering::Relaxed);
    }

    /// Called by the reader after each read: an error once the element is too large.
    pub fn check(&self) -> std::io::Result<()> {
        let since = self
            .read
            .load(Ordering::Relaxed)
            .saturating_sub(self.mark.load(Ordering::Relaxed));
        if since > self.cap.load(Ordering::Relaxed) {
            self.tripped.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("element too large"));
        }
        Ok(())
    }

    pub fn tripped(&self) -> bool {
        self.tripped.load(Ordering::Relaxed)
    }
}

/// A conversation as read: its fields but `messages`, its checked messages, and the
/// problems found in them.
pub struct Streamed {
    pub head: Value,
    pub messages: Messages,
    pub problems: Problems,
}

/// The `messages` field as found.
pub enum Messages {
    Missing,
    NotAList(&'static str),
    List(Vec<MessageRecord>),
}

pub struct ConversationSeed<'a> {
    pub index: usize,
    pub limit: &'a ElementLimit,
}

impl<'de> DeserializeSeed<'de> for ConversationSeed<'_> {
    type Value = Streamed;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Streamed, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn other(head: Value) -> Streamed {
    Streamed {
        head,
        messages: Messages::Missing,
        problems: Problems::default(),
    }
}

impl<'de> Visitor<'de> for ConversationSeed<'_> {
    type Value = Streamed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a conversation")
    }

    // Anything but an object is kept as it is, for the check to name what it found.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Streamed, E> {
        Ok(other(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Streamed, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Streamed, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Streamed, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Streamed, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Streamed, E> {
        Ok(other(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Streamed, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Streamed, A::Error> {
        let mut head = Map::new();
        let mut problems = Problems::default();
        let mut messages = Messages::Missing;
        while let Some(key) = map.next_key::<String>()? {
            if key == "messages" {
                messages = map.next_value_seed(MessagesSeed {
                    index: self.index,
                    limit: self.limit,
                    problems: &mut problems,
                })?;
            } else {
                head.insert(key, map.next_value()?);
            }
        }
        Ok(Streamed {
            head: Value::Object(head),
            messages,
            problems,
        })
    }
}

struct MessagesSeed<'a> {
    index: usize,
    limit: &'a ElementLimit,
    problems: &'a mut Problems,
}

impl<'de> DeserializeSeed<'de> for MessagesSeed<'_> {
    type Value = Messages;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Messages, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MessagesSeed<'_> {
    type Value = Messages;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of messages")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Messages, E> {
        Ok(Messages::Missing)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Messages, E> {
        Ok(Messages::NotAList("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Messages, E> {
        Ok(Messages::NotAList("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Messages, E> {
        Ok(Messages::NotAList("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Messages, E> {
        Ok(Messages::NotAList("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Messages, E> {
        Ok(Messages::NotAList("a string"))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Messages, A::Error> {
        IgnoredAny::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Messages::NotAList("an object"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Messages, A::Error> {
        let mut records = Vec::new();
        let mut position = 0;
        loop {
            self.limit.mark(MAX_MESSAGE_JSON_BYTES);
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            let path = format!("conversations[{}].messages[{position}]", self.index);
            if let Some(record) = message(&value, path, position, UNSET_TIME, self.problems) {
                records.push(record);
            }
            position += 1;
        }
        // The conversation's other fields after the list get a budget of their own.
        self.limit.mark(MAX_MESSAGE_JSON_BYTES);
        Ok(Messages::List(records))
    }
}
