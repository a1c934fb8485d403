//! Typed validation problems: what `invalid_input` carries to the UI.
//!
//! Each broken rule is one [`Problem`]: where (`path`, the field as the UI sent it:
//! `name`, `baseUrl`, `params.temperature`, `presetMessages.2.content`,
//! `headers.X-Api-Key`), which rule ([`Rule`], a closed set the UI translates), and the
//! numbers or values the translation needs ([`ProblemParams`]). The UI never reads the
//! English text; it is for logs.
//!
//! This module imports nothing of the crate, so every layer can report problems.

use std::fmt;

use serde::Serialize;
use specta::Type;

/// The rules a value can break. Adding one is a change to the UI too: it translates each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Empty, blank or missing.
    Required,
    /// More than `max` characters.
    TooLong,
    /// More than `max` bytes.
    TooLarge,
    /// More than `max` items.
    TooMany,
    /// Not between `min` and `max` (inclusive).
    OutOfRange,
    /// Less than `min`.
    AtLeast,
    /// Not one of the values the field accepts.
    NotAChoice,
    /// Not 1 to `max` lowercase letters, digits or `-`, not starting with `-`.
    InvalidSlug,
    /// Another one already has this `value`.
    Taken,
    /// Given twice in the same input.
    Duplicate,
    /// There is no provider `value`.
    NoSuchProvider,
    /// The built-in agent's id cannot be changed.
    BuiltinIdFixed,
    /// The built-in agent cannot be deleted.
    BuiltinUndeletable,
    /// Every free copy name of the agent is taken.
    TooManyCopies,
    /// A preset message is system, user or assistant.
    PresetRole,
    /// A try-out holds only the person's messages and the replies.
    TrialRole,
    /// Not a URL at all.
    InvalidUrl,
    /// A URL that is not http:// or https://.
    UrlScheme,
    /// A URL without a host.
    UrlNoHost,
    /// Plain http:// to `value`, a host outside this computer and the local network.
    PlainHttp,
    /// A header the app sets itself (the key is stored separately).
    HeaderNotAllowed,
    InvalidHeaderName,
    InvalidHeaderValue,
    /// Not an environment variable name: a letter or `_`, then letters, digits or `_`.
    InvalidEnvName,
    /// Too long, or with control characters, to be an API key.
    InvalidApiKey,
    /// The conversation has no message of the person's to answer.
    NothingToAnswer,
    /// Only the person's own messages can be edited and resent.
    NotYourMessage,
    /// The last reply is not an unfinished one that answers the person.
    NothingToContinue,
    /// Not valid JSON (at `line`, `column`).
    InvalidJson,
    /// Not a file of this kind (`value`: the format it names, if any).
    WrongFormat,
    /// Made for version `value`; this build reads version `max`.
    UnsupportedVersion,
    /// Outside data of the wrong shape; `detail` says how (in English, from the parser).
    Malformed,
    /// More problems than are listed: `count` in all.
    MoreProblems,
    /// A folder where a file is needed.
    IsFolder,
    /// Not a backup of this app (`detail` says why).
    NotABackup,
    /// Made by a newer version of the app (it has the schema change `value`).
    NewerVersion,
    /// A scheduled restore was called off; the history is as it was.
    RestoreCalledOff,
    /// Only http, https and mailto links can be opened.
    LinkScheme,
    /// Contains control characters.
    ControlCharacters,
    /// The system could not open the link.
    LinkNotOpened,
    /// A chosen path that is not a local file.
    NotALocalFile,
    /// Not a three-letter currency code (ISO 4217, like `USD` or `CNY`).
    CurrencyCode,
    /// An image of more than `max` pixels on a side, or too large to open in memory.
    ImageTooLarge,
    /// A kind of file that cannot be attached (yet); `value` names the kind, when known.
    UnsupportedFile,
    /// A text file that is not in UTF-8 (`detail` says where).
    NotUtf8,
    /// A document with no text layer (a scan); `count` is its pages.
    ScannedDocument,
    /// A password-protected document.
    EncryptedDocument,
    /// A damaged file; `value` names its kind when known, `detail` what broke.
    DamagedFile,
    /// An archive that would inflate past `max` bytes, hold too many entries or nest too
    /// deep: a decompression bomb, or near enough.
    DecompressionBomb,
    /// Reading the file took longer than `max` seconds.
    TookTooLong,
    /// The person stopped reading the file.
    Cancelled,
    /// The model (`value`) cannot see images, and the message has some.
    ModelCannotSeeImages,
    /// A knowledge base's embedding model refused an image: it embeds text only (a
    /// multimodal one such as jina-clip-v2 is needed).
    EmbeddingModelNoImages,
    /// An attachment whose stored bytes are gone (`value` is its name): attach it again.
    AttachmentMissing,
    /// More than `max` attachments on one message.
    TooManyAttachments,
}

/// What the translation of a rule needs. Only the fields a rule names are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProblemParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub max: Option<i64>,
    /// The value at fault, quoted back (an id, a host, a version). Never a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub line: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub column: Option<i64>,
    /// A parser's own words about outside data, shown small under the translated line.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub detail: Option<String>,
}

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Problem {
    pub path: String,
    pub rule: Rule,
    pub params: ProblemParams,
}

/// A count or limit as a parameter (limits are far below `i64::MAX`).
fn num(n: impl TryInto<i64>) -> Option<i64> {
    Some(n.try_into().unwrap_or(i64::MAX))
}

impl Problem {
    pub fn new(path: impl Into<String>, rule: Rule) -> Self {
        Self {
            path: path.into(),
            rule,
            params: ProblemParams::default(),
        }
    }

    pub fn required(path: impl Into<String>) -> Self {
        Self::new(path, Rule::Required)
    }

    /// `rule` with its limit `max` (characters, bytes, items: the rule says which).
    pub fn limit(path: impl Into<String>, rule: Rule, max: impl TryInto<i64>) -> Self {
        Self::new(path, rule).max(max)
    }

    /// Text that is not JSON, with where the parser stopped (1-based line and column).
    pub fn invalid_json(path: impl Into<String>, line: usize, column: usize) -> Self {
        let mut problem = Self::new(path, Rule::InvalidJson);
        problem.params.line = i64::try_from(line).ok();
        problem.params.column = i64::try_from(column).ok();
        problem
    }

    pub fn out_of_range(
        path: impl Into<String>,
        min: impl TryInto<i64>,
        max: impl TryInto<i64>,
    ) -> Self {
        Self::new(path, Rule::OutOfRange).min(min).max(max)
    }

    pub fn min(mut self, min: impl TryInto<i64>) -> Self {
        self.params.min = num(min);
        self
    }

    pub fn max(mut self, max: impl TryInto<i64>) -> Self {
        self.params.max = num(max);
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.params.value = Some(value.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.params.detail = Some(detail.into());
        self
    }

    /// The same problem inside a list: `agents.2` + `agentId` → `agents.2.agentId`.
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = if self.path.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for Problem {
    /// `path: what is wrong`, in English, for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        let p = &self.params;
        let n = |n: Option<i64>| n.map_or_else(|| "?".to_string(), |n| n.to_string());
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        match self.rule {
            Rule::Required => write!(f, "is empty"),
            Rule::TooLong => write!(f, "at most {} characters", n(p.max)),
            Rule::TooLarge => write!(f, "at most {} bytes", n(p.max)),
            Rule::TooMany => write!(f, "at most {} items", n(p.max)),
            Rule::OutOfRange => write!(f, "must be between {} and {}", n(p.min), n(p.max)),
            Rule::AtLeast => write!(f, "must be at least {}", n(p.min)),
            Rule::NotAChoice => write!(f, "not one of the accepted values"),
            Rule::InvalidSlug => write!(
                f,
                "{:?} is not a valid id: 1 to {} lowercase letters, digits or '-', not starting \
                 with '-'",
                text(&p.value),
                n(p.max)
            ),
            Rule::Taken => write!(f, "{:?} already exists", text(&p.value)),
            Rule::Duplicate => write!(f, "given twice"),
            Rule::NoSuchProvider => write!(f, "no provider {}", text(&p.value)),
            Rule::BuiltinIdFixed => write!(f, "the built-in agent's id cannot be changed"),
            Rule::BuiltinUndeletable => write!(f, "the built-in agent cannot be deleted"),
            Rule::TooManyCopies => write!(f, "the agent has too many copies already"),
            Rule::PresetRole => write!(f, "must be system, user or assistant"),
            Rule::TrialRole => write!(f, "a try-out holds only your messages and replies"),
            Rule::InvalidUrl => write!(f, "not a valid URL"),
            Rule::UrlScheme => write!(f, "must start with http:// or https://"),
            Rule::UrlNoHost => write!(f, "has no host"),
            Rule::PlainHttp => write!(
                f,
                "plain http:// to {} would send the API key and the conversation unencrypted; \
                 use https://",
                text(&p.value)
            ),
            Rule::HeaderNotAllowed => write!(f, "not allowed here; the API key is stored apart"),
            Rule::InvalidHeaderName => write!(f, "not a valid header name"),
            Rule::InvalidHeaderValue => write!(f, "not a valid header value"),
            Rule::InvalidEnvName => write!(f, "not an environment variable name"),
            Rule::InvalidApiKey => write!(f, "does not look like an API key"),
            Rule::NothingToAnswer => write!(f, "there is no message of yours to answer"),
            Rule::NotYourMessage => write!(f, "only your own messages can be edited and resent"),
            Rule::NothingToContinue => write!(f, "there is no unfinished reply to continue"),
            Rule::InvalidJson => write!(
                f,
                "not valid JSON (line {}, column {})",
                n(p.line),
                n(p.column)
            ),
            Rule::WrongFormat => write!(f, "not a file of this kind ({})", text(&p.value)),
            Rule::UnsupportedVersion => write!(
                f,
                "version {}; this app reads version {}",
                text(&p.value),
                n(p.max)
            ),
            Rule::Malformed => write!(f, "{}", text(&p.detail)),
            Rule::MoreProblems => write!(f, "… {} problems in all", n(p.count)),
            Rule::IsFolder => write!(f, "is a folder; choose a file name"),
            Rule::NotABackup => write!(f, "not a Confab backup ({})", text(&p.detail)),
            Rule::NewerVersion => write!(
                f,
                "made by a newer version of Confab (schema change {:?})",
                text(&p.value)
            ),
            Rule::RestoreCalledOff => write!(f, "the restore was called off; nothing changed"),
            Rule::LinkScheme => write!(f, "only http, https and mailto links can be opened"),
            Rule::ControlCharacters => write!(f, "contains control characters"),
            Rule::LinkNotOpened => write!(f, "the link could not be opened"),
            Rule::NotALocalFile => write!(f, "not a file on this computer"),
            Rule::CurrencyCode => write!(f, "not a three-letter currency code like USD or CNY"),
            Rule::ImageTooLarge => write!(
                f,
                "an image of more than {} pixels on a side, or too large to open",
                n(p.max)
            ),
            Rule::UnsupportedFile => match &p.value {
                Some(kind) => write!(f, "{kind} files cannot be attached yet"),
                None => write!(f, "this kind of file cannot be attached"),
            },
            Rule::NotUtf8 => write!(f, "not UTF-8 text ({})", text(&p.detail)),
            Rule::ScannedDocument => {
                write!(f, "no text found: this looks like a scanned document")
            }
            Rule::EncryptedDocument => write!(f, "the document is password-protected"),
            Rule::DamagedFile => {
                write!(f, "a damaged {} file ({})", text(&p.value), text(&p.detail))
            }
            Rule::DecompressionBomb => write!(
                f,
                "the file would unpack to more than {} bytes or is nested too deep",
                n(p.max)
            ),
            Rule::TookTooLong => write!(f, "reading took longer than {} s", n(p.max)),
            Rule::Cancelled => write!(f, "stopped"),
            Rule::ModelCannotSeeImages => {
                write!(f, "the model {:?} cannot see images", text(&p.value))
            }
            Rule::EmbeddingModelNoImages => {
                write!(f, "the embedding model does not take images")
            }
            Rule::AttachmentMissing => {
                write!(
                    f,
                    "the attachment {:?} is gone; attach it again",
                    text(&p.value)
                )
            }
            Rule::TooManyAttachments => write!(f, "more than {} attachments", n(p.max)),
        }
    }
}

/// All problems, one per line, for logs.
pub fn summary(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_names_only_the_params_a_rule_has() {
        let problem = Problem::out_of_range("params.temperature", 0, 2);
        assert_eq!(
            serde_json::to_value(&problem).expect("serializes"),
            serde_json::json!({
                "path": "params.temperature",
                "rule": "out_of_range",
                "params": {"min": 0, "max": 2}
            })
        );
        let plain = Problem::required("name");
        assert_eq!(
            serde_json::to_value(&plain).expect("serializes"),
            serde_json::json!({"path": "name", "rule": "required", "params": {}})
        );
    }

    #[test]
    fn nested_paths_join_with_dots_and_the_summary_reads_as_english() {
        let inner = Problem::limit("appPreset.avatar", Rule::TooLong, 32usize).under("agents.2");
        assert_eq!(inner.path, "agents.2.appPreset.avatar");
        assert_eq!(Problem::required("").under("agents.0").path, "agents.0");
        let taken = Problem::new("agentId", Rule::Taken).value("coder");
        assert_eq!(
            summary(&[inner, taken]),
            "agents.2.appPreset.avatar: at most 32 characters\nagentId: \"coder\" already exists"
        );
    }
}
