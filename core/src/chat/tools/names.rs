//! The names the model calls tools by. OpenAI takes `^[a-zA-Z0-9_-]{1,64}$`; MCP tool names
//! may hold other characters, and two servers may offer tools of the same name. A tool goes
//! by its own name when that is valid and unique, else by `<server>__<tool>`, cleaned and
//! cut to 64 characters, with a number added while it still collides.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::HostTool;

const MAX_NAME: usize = 64;

/// A name for each tool, in order, all different.
pub(super) fn function_names(tools: &[HostTool]) -> Vec<String> {
    let mut own = std::collections::HashMap::<&str, usize>::new();
    for tool in tools {
        *own.entry(tool.name.as_str()).or_default() += 1;
    }
    let mut taken = HashSet::new();
    tools
        .iter()
        .map(|tool| {
            let plain = clean(&tool.name);
            let base = if plain == tool.name && own[tool.name.as_str()] == 1 {
                plain
            } else {
                clean(&format!("{}__{}", tool.server_name, tool.name))
            };
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                let suffix = format!("_{n}");
                name = format!("{}{suffix}", cut(&base, MAX_NAME - suffix.len()));
                n += 1;
            }
            name
        })
        .collect()
}

/// `name` with every character OpenAI does not take made `_`, at most 64 long, never empty.
fn clean(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        return "tool".into();
    }
    cut(&cleaned, MAX_NAME).to_string()
}

/// The first `max` characters of an ASCII name.
fn cut(name: &str, max: usize) -> &str {
    &name[..name.len().min(max)]
}

/// A tool's input schema as a function's parameters: an object schema, whatever the server
/// sent (OpenAI refuses a function whose parameters are not one).
pub(super) fn parameters(schema: &Map<String, Value>) -> Map<String, Value> {
    let mut parameters = schema.clone();
    if parameters.get("type").and_then(Value::as_str) != Some("object") {
        parameters.insert("type".into(), Value::from("object"));
    }
    if !parameters.get("properties").is_some_and(Value::is_object) {
        parameters.insert("properties".into(), Value::Object(Map::new()));
    }
    parameters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(server: &str, name: &str) -> HostTool {
        HostTool {
            server_id: format!("id-{server}"),
            server_name: server.into(),
            name: name.into(),
            description: String::new(),
            input_schema: Map::new(),
        }
    }

    #[test]
    fn names_are_valid_and_unique() {
        let tools = [
            tool("files", "read"),
            tool("web", "read"),
            tool("everything", "echo"),
            tool("my server", "get.weather"),
            tool("x", &"long".repeat(30)),
            tool("files", "read"),
            tool("", ""),
        ];
        let names = function_names(&tools);
        assert_eq!(names[0], "files__read");
        assert_eq!(names[1], "web__read");
        assert_eq!(names[2], "echo");
        assert_eq!(names[3], "my_server__get_weather");
        assert_eq!(names[4].len(), 64);
        assert_eq!(names[5], "files__read_2");
        assert_eq!(names[6], "__");
        let unique: HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        for name in &names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            );
        }
    }

    #[test]
    fn parameters_are_always_an_object_schema() {
        let odd: Map<String, Value> =
            serde_json::from_str(r#"{"type":"string","properties":3}"#).expect("json");
        let fixed = parameters(&odd);
        assert_eq!(fixed["type"], "object");
        assert!(fixed["properties"].is_object());
    }
}
