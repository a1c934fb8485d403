//! Reading a JSON object field by field, so that each wrong value is reported at its path
//! (`conversations[3].messages[12].role: unknown variant "robot"`), and the list of
//! problems a file has.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::problem::{Problem, Rule};

/// Problems listed in the error at most; the rest are counted.
const MAX_LISTED: usize = 100;

/// Every problem found in a file, each with where it is.
#[derive(Debug, Default)]
pub struct Problems {
    listed: Vec<Problem>,
    total: usize,
}

impl Problems {
    /// A value of the wrong shape at `path`; `message` (the parser's English words) goes
    /// with it as its detail.
    pub fn push(&mut self, path: &str, message: impl std::fmt::Display) {
        self.add(Problem::new(path, Rule::Malformed).detail(message.to_string()));
    }

    pub fn add(&mut self, problem: Problem) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(problem);
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

    /// The error that fails the import: every problem listed, then how many there are in
    /// all when some are not.
    pub fn into_error(self) -> crate::Error {
        let mut listed = self.listed;
        if self.total > listed.len() {
            let mut more = Problem::new("", Rule::MoreProblems);
            more.params.count = i64::try_from(self.total).ok();
            listed.push(more);
        }
        crate::Error::InvalidInput(listed)
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
            problems.add(Problem::required(self.at(key)));
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
        let crate::Error::InvalidInput(listed) = problems.into_error() else {
            panic!("not invalid_input");
        };
        assert_eq!(listed.len(), MAX_LISTED + 1);
        assert_eq!(
            listed[0],
            Problem::new("items[2].n", Rule::Malformed)
                .detail("invalid type: string \"x\", expected u32")
        );
        assert_eq!(listed[1], Problem::required("items[2].gone"));
        assert_eq!(listed[MAX_LISTED].rule, Rule::MoreProblems);
        assert_eq!(listed[MAX_LISTED].params.count, Some(202));
    }
}
