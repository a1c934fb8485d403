//! A ChatGPT conversation read node by node. Its `mapping` must be whole before the tree
//! can be walked, but each node is cut down as soon as it is read to what the importer
//! looks at (ids, parent link, author, recipient, time, content, three metadata flags):
//! ChatGPT's metadata (search results, citations, attachments' descriptions) is most of a
//! node and is dropped at once. No single node may take more than the element cap while it
//! is read.

use std::fmt;

use serde::Deserialize;
use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::conversation::{ElementLimit, MAX_MESSAGE_JSON_BYTES};

/// Both seeds read any value through their own visitor.
macro_rules! seed_by_visitor {
    ($seed:ident) => {
        impl<'de> DeserializeSeed<'de> for $seed<'_> {
            type Value = Value;

            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
                deserializer.deserialize_any(self)
            }
        }
    };
}

/// Numbers, booleans and null kept as they are.
macro_rules! visit_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    };
}

pub struct ChatgptSeed<'a> {
    pub limit: &'a ElementLimit,
}

seed_by_visitor!(ChatgptSeed);

impl<'de> Visitor<'de> for ChatgptSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a conversation")
    }

    visit_scalars!();
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut head = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.limit.mark(MAX_MESSAGE_JSON_BYTES);
            let value = if key == "mapping" {
                map.next_value_seed(MappingSeed { limit: self.limit })?
            } else {
                map.next_value()?
            };
            head.insert(key, value);
        }
        self.limit.mark(u64::MAX);
        Ok(Value::Object(head))
    }
}

struct MappingSeed<'a> {
    limit: &'a ElementLimit,
}

seed_by_visitor!(MappingSeed);

impl<'de> Visitor<'de> for MappingSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of nodes")
    }

    // Not an object: the check reports it; only its kind matters.
    visit_scalars!();
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Value, E> {
        Ok(Value::from(""))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        serde::de::IgnoredAny::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Value::Array(Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut nodes = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.limit.mark(MAX_MESSAGE_JSON_BYTES);
            let node: Value = map.next_value()?;
            nodes.insert(key, compact_node(node));
        }
        Ok(Value::Object(nodes))
    }
}

/// A node with only the fields the importer reads.
fn compact_node(node: Value) -> Value {
    let Value::Object(mut node) = node else {
        return node;
    };
    let mut out = Map::new();
    for key in ["id", "parent"] {
        if let Some(value) = node.remove(key) {
            out.insert(key.into(), value);
        }
    }
    if let Some(message) = node.remove("message") {
        out.insert("message".into(), compact_message(message));
    }
    Value::Object(out)
}

fn compact_message(message: Value) -> Value {
    let Value::Object(mut message) = message else {
        return message;
    };
    let mut out = Map::new();
    for key in ["id", "recipient", "create_time", "content"] {
        if let Some(value) = message.remove(key) {
            out.insert(key.into(), value);
        }
    }
    if let Some(Value::Object(mut author)) = message.remove("author") {
        let mut kept = Map::new();
        if let Some(role) = author.remove("role") {
            kept.insert("role".into(), role);
        }
        out.insert("author".into(), Value::Object(kept));
    }
    if let Some(Value::Object(mut metadata)) = message.remove("metadata") {
        let mut kept = Map::new();
        for key in [
            "is_visually_hidden_from_conversation",
            "model_slug",
            "finish_details",
        ] {
            if let Some(value) = metadata.remove(key) {
                kept.insert(key.into(), value);
            }
        }
        out.insert("metadata".into(), Value::Object(kept));
    }
    Value::Object(out)
}
