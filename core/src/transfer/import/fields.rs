//! Reading a JSON object field by field, so that each wrong value is reported at its path
//! (`conversations[3].messages[12].role: unknown variant "robot"`), and the list of
//! problems a file has.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Problems listed in the error at most; the rest are counted.
const MAX_LISTED: usize = 100;

/// Every problem found in a file, each with where it is.
#[derive(Debug, Default)]
pub struct Problems {
    listed: Vec<String>,
    total: usize,
}

impl Problems {
    pub fn push(&mut self, path: &str, message: impl std::fmt::Display) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(if path.is_empty() {
                message.to_string()
            } else {
                format!("{path}: {message}")
            });
        }
    }

    /// Adds the problems found elsewhere (while reading), keeping the cap on those listed.
    pub fn absorb(&mut self, other: Self) {
        let room = MAX_LISTED.saturating_sub(self.listed.len());
        self.listed.extend(other.listed.into_iter().take(room));
        self.total += other.total;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn count(&self) -> usize {
        self.total
    }

    /// The error that fails the import: every problem, one per line.
    pub fn into_error(self) -> crate::Error {
        let mut text = format!(
            "nothing was imported; {} problem{} found:\n{}",
            self.total,
            if self.total == 1 { "" } else { "s" },
            self.listed.join("\n")
        );
        if self.total > self.listed.len() {
            text.push_str(&format!("\n… and {} more", self.total - self.listed.len()));
        }
        crate::Error::InvalidInput(text)
    }
}

/// An object of the file and its path, read one field at a time.
pub struct Fields<'a> {
    pub object: &'a Map<String, Value>,
    pub path: String,
}

impl<'a> Fields<'a> {
    /// The object `value` at `path`, or a problem.
    pub fn of(value: &'a Value, path: String, problems: &mut Problems) -> Option<Self> {
        match value.as_object() {
            Some(object) => Some(Self { object, path }),
            None => {
                problems.push(&path, format!("expected an object, found {}", kind(value)));
                None
            }
        }
    }

    /// The field `key`: `None` when it is missing or null, or (with a problem) of the wrong type.
    pub fn get<T: DeserializeOwned>(&self, key: &str, problems: &mut Problems) -> Option<T> {
        let value = self.object.get(key).filter(|value| !value.is_null())?;
        match T::deserialize(value) {
            Ok(value) => Some(value),
            Err(error) => {
                problems.push(&self.at(key), error);
                None
            }
        }
    }

    /// The field `key`, which must be there.
    pub fn required<T: DeserializeOwned>(&self, key: &str, problems: &mut Problems) -> Option<T> {
        if self.object.get(key).is_none_or(Value::is_null) {
            problems.push(&self.at(key), "missing");
            return None;
        }
        self.get(key, problems)
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|value| !value.is_null())
    }

    pub fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }
}

/// What a JSON value is, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_their_place_and_are_capped() {
        let value = serde_json::json!({"role": "robot", "n": "x"});
        let mut problems = Problems::default();
        let fields = Fields::of(&value, "items[2]".into(), &mut problems).expect("object");
        assert_eq!(fields.get::<u32>("n", &mut problems), None);
        assert_eq!(fields.required::<String>("gone", &mut problems), None);
        for _ in 0..200 {
            problems.push("x", "y");
        }
        assert_eq!(problems.count(), 202);
        let text = problems.into_error().to_string();
        assert!(text.starts_with("nothing was imported; 202 problems found:\n"));
        assert!(text.contains("items[2].n: invalid type: string \"x\", expected u32"));
        assert!(text.contains("items[2].gone: missing"));
        assert!(text.ends_with("… and 102 more"));
    }
}
