//! The sampling parameters, declared once. The IPC speaks them in camelCase like the rest of
//! the IPC; the API, the `agents` table and the agents file use the same fields under their
//! snake_case names, which [`snake_case`] derives from these by renaming keys, so a new
//! parameter is added in one place.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Sampling parameters; `None` leaves the provider's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentParams {
    /// 0–2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// 0–1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// 1–1 000 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// −2–2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// −2–2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
}

/// [`AgentParams`] under snake_case names (`top_p`, `max_tokens`, ...), only those that are
/// set: `#[serde(with = "snake_case")]` on a field, or [`from_value`](snake_case::from_value)
/// and [`to_value`](snake_case::to_value) directly.
pub mod snake_case {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    use super::AgentParams;

    pub fn to_value(params: &AgentParams) -> serde_json::Result<Value> {
        Ok(match serde_json::to_value(params)? {
            Value::Object(camel) => Value::Object(
                camel
                    .into_iter()
                    .map(|(key, value)| (snake_key(&key), value))
                    .collect(),
            ),
            other => other,
        })
    }

    /// Reads the snake_case form. Keys that are not snake_case (e.g. a stray `topP`) are
    /// ignored, like any other unknown key.
    pub fn from_value(value: Value) -> serde_json::Result<AgentParams> {
        let value = match value {
            Value::Object(snake) => Value::Object(
                snake
                    .into_iter()
                    .filter(|(key, _)| !key.chars().any(|c| c.is_ascii_uppercase()))
                    .map(|(key, value)| (camel_key(&key), value))
                    .collect(),
            ),
            // Not an object: let serde say what it expected.
            other => other,
        };
        serde_json::from_value(value)
    }

    pub fn serialize<S: Serializer>(
        params: &AgentParams,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        to_value(params)
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<AgentParams, D::Error> {
        from_value(Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }

    fn snake_key(camel: &str) -> String {
        let mut snake = String::with_capacity(camel.len() + 4);
        for c in camel.chars() {
            if c.is_ascii_uppercase() {
                snake.push('_');
                snake.push(c.to_ascii_lowercase());
            } else {
                snake.push(c);
            }
        }
        snake
    }

    fn camel_key(snake: &str) -> String {
        let mut parts = snake.split('_');
        let mut camel = parts.next().unwrap_or_default().to_string();
        for part in parts {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                camel.push(first.to_ascii_uppercase());
                camel.extend(chars);
            }
        }
        camel
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn all_set() -> AgentParams {
        AgentParams {
            temperature: Some(0.5),
            top_p: Some(0.9),
            max_tokens: Some(100),
            presence_penalty: Some(-1.0),
            frequency_penalty: Some(2.0),
        }
    }

    #[test]
    fn the_ipc_form_is_camel_case_and_the_stored_form_snake_case() {
        let params = all_set();
        assert_eq!(
            serde_json::to_value(params).expect("ipc"),
            json!({"temperature": 0.5, "topP": 0.9, "maxTokens": 100,
                   "presencePenalty": -1.0, "frequencyPenalty": 2.0})
        );
        let snake = snake_case::to_value(&params).expect("snake");
        assert_eq!(
            snake,
            json!({"temperature": 0.5, "top_p": 0.9, "max_tokens": 100,
                   "presence_penalty": -1.0, "frequency_penalty": 2.0})
        );
        assert_eq!(snake_case::from_value(snake).expect("read"), params);
    }

    #[test]
    fn unset_parameters_are_left_out_and_unknown_keys_ignored() {
        let only = AgentParams {
            max_tokens: Some(7),
            ..AgentParams::default()
        };
        assert_eq!(
            snake_case::to_value(&only).expect("snake"),
            json!({"max_tokens": 7})
        );
        let read =
            snake_case::from_value(json!({"topP": 0.2, "seed": 1, "max_tokens": 7})).expect("read");
        assert_eq!(read, only, "camelCase and unknown keys are not read");
        assert!(snake_case::from_value(json!({"temperature": "hot"})).is_err());
        assert!(snake_case::from_value(json!(5)).is_err());
    }

    #[test]
    fn a_field_can_carry_the_snake_case_form() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Request {
            model: String,
            #[serde(flatten, with = "snake_case")]
            params: AgentParams,
        }
        let request = Request {
            model: "m".into(),
            params: all_set(),
        };
        let wire = serde_json::to_value(&request).expect("serializes");
        assert_eq!(wire["top_p"], json!(0.9));
        assert_eq!(wire["frequency_penalty"], json!(2.0));
        assert!(wire.get("topP").is_none());
    }
}
