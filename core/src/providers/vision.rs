//! Which models can see images. Confab knows the main families by their names and guesses
//! the rest from hints in the name (`vision`, `-vl`); the user can say otherwise for a
//! model at a provider, which wins (`model_capabilities`, migration 19). An image is never
//! sent to a model thought blind, and never dropped silently: the send is refused first.

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::entities::provider;
use crate::store::now_ms;

/// What a model can do, as far as Confab knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelCapabilities {
    pub vision: bool,
    pub source: CapabilitySource,
}

/// Where a capability comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CapabilitySource {
    /// A model family Confab knows.
    Known,
    /// A hint in the name, or nothing known (then: no vision).
    Guess,
    /// The user said so.
    User,
}

/// Longest model name taken (characters).
const MAX_MODEL_CHARS: usize = 200;

/// Families by the start of their names, the first match winning (so the exceptions come
/// before their family).
const KNOWN: &[(&str, bool)] = &[
    ("o1-mini", false),
    ("o1-preview", false),
    ("o3-mini", false),
    ("o1", true),
    ("o3", true),
    ("o4", true),
    ("gpt-4o", true),
    ("chatgpt-4o", true),
    ("gpt-4.1", true),
    ("gpt-4.5", true),
    ("gpt-4-turbo", true),
    ("gpt-4-vision", true),
    ("gpt-5", true),
    ("gpt-4", false),
    ("gpt-3.5", false),
    ("claude-2", false),
    ("claude-instant", false),
    ("claude-", true),
    ("gemini", true),
    ("deepseek-chat", false),
    ("deepseek-reasoner", false),
    ("deepseek-coder", false),
    ("deepseek-r1", false),
    ("deepseek-v3", false),
    ("qwen-vl", true),
    ("qwen2-vl", true),
    ("qwen2.5-vl", true),
    ("qwen3-vl", true),
    ("qvq", true),
    ("llava", true),
    ("bakllava", true),
    ("llama3.2-vision", true),
    ("gemma3", true),
    ("gemma-3", true),
    ("pixtral", true),
    ("glm-4v", true),
    ("glm-4.5v", true),
    ("minicpm-v", true),
    ("moondream", true),
];

/// Hints in a name that the model sees images.
const HINTS: &[&str] = &["vision", "-vl", "vl-", "internvl", "omni"];

/// What the name of `model` says: a router's prefix (`openai/`) and a local tag (`:13b`)
/// are left aside, case does not matter.
pub fn vision_from_name(model: &str) -> ModelCapabilities {
    let lower = model.trim().to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let name = name.split(':').next().unwrap_or(name);
    if let Some((_, vision)) = KNOWN.iter().find(|(start, _)| name.starts_with(start)) {
        return ModelCapabilities {
            vision: *vision,
            source: CapabilitySource::Known,
        };
    }
    ModelCapabilities {
        vision: HINTS.iter().any(|hint| name.contains(hint)),
        source: CapabilitySource::Guess,
    }
}

/// What `model` at the provider can do: the user's word, else the name's.
pub async fn capabilities(
    db: &impl ConnectionTrait,
    provider_id: &str,
    model: &str,
) -> Result<ModelCapabilities> {
    let model = checked_model(model)?;
    ensure_provider(db, provider_id).await?;
    Ok(match user_vision(db, provider_id, model).await? {
        Some(vision) => ModelCapabilities {
            vision,
            source: CapabilitySource::User,
        },
        None => vision_from_name(model),
    })
}

/// Records whether `model` at the provider sees images; `None` forgets the user's word (the
/// name's applies again). Returns what applies after it.
pub async fn set_vision(
    db: &impl ConnectionTrait,
    provider_id: &str,
    model: &str,
    vision: Option<bool>,
) -> Result<ModelCapabilities> {
    let model = checked_model(model)?;
    ensure_provider(db, provider_id).await?;
    let statement = match vision {
        Some(vision) => Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO model_capabilities (provider_id, model, vision, updated_at)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (provider_id, model) DO UPDATE SET
                 vision = excluded.vision, updated_at = excluded.updated_at",
            [
                provider_id.into(),
                model.into(),
                vision.into(),
                now_ms().into(),
            ],
        ),
        None => Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "DELETE FROM model_capabilities WHERE provider_id = ? AND model = ?",
            [provider_id.into(), model.into()],
        ),
    };
    db.execute_raw(statement).await?;
    capabilities(db, provider_id, model).await
}

/// Whether a request to `model` (at the stored provider `provider_id`, when it is one) may
/// carry images.
pub async fn can_see_images(
    db: &impl ConnectionTrait,
    provider_id: Option<&str>,
    model: &str,
) -> Result<bool> {
    if let Some(provider_id) = provider_id
        && let Some(vision) = user_vision(db, provider_id, model.trim()).await?
    {
        return Ok(vision);
    }
    Ok(vision_from_name(model).vision)
}

async fn user_vision(
    db: &impl ConnectionTrait,
    provider_id: &str,
    model: &str,
) -> Result<Option<bool>> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT vision FROM model_capabilities WHERE provider_id = ? AND model = ?",
            [provider_id.into(), model.into()],
        ))
        .await?;
    Ok(row.map(|row| row.try_get_by_index(0)).transpose()?)
}

fn checked_model(model: &str) -> Result<&str> {
    let model = model.trim();
    if model.is_empty() {
        return Err(Error::invalid(Problem::required("model")));
    }
    if model.chars().count() > MAX_MODEL_CHARS {
        return Err(Error::invalid(Problem::limit(
            "model",
            Rule::TooLong,
            MAX_MODEL_CHARS,
        )));
    }
    Ok(model)
}

async fn ensure_provider(db: &impl ConnectionTrait, provider_id: &str) -> Result<()> {
    provider::Entity::find_by_id(provider_id)
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| Error::not_found("provider", provider_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vision_is_known_or_guessed_from_the_name() {
        let seen = |model: &str| {
            let found = vision_from_name(model);
            (found.vision, found.source)
        };
        use CapabilitySource::{Guess, Known};
        for model in [
            "gpt-4o",
            "gpt-4o-mini",
            "GPT-4.1-nano",
            "gpt-5",
            "o3",
            "o4-mini",
            "openai/gpt-4o-2024-08-06",
            "claude-3-5-sonnet-20241022",
            "claude-sonnet-4-5",
            "anthropic/claude-opus-4",
            "gemini-2.5-flash",
            "qwen-vl-max",
            "qwen2.5-vl-72b-instruct",
            "Qwen/Qwen2.5-VL-7B-Instruct",
            "llava:13b",
            "gemma3:4b",
            "pixtral-12b",
            "glm-4v-plus",
            "minicpm-v",
            "llama3.2-vision:11b",
        ] {
            assert_eq!(seen(model), (true, Known), "{model}");
        }
        for model in [
            "deepseek-chat",
            "deepseek-reasoner",
            "deepseek/deepseek-r1",
            "o3-mini",
            "o1-mini",
            "gpt-4",
            "gpt-3.5-turbo",
            "claude-2.1",
        ] {
            assert_eq!(seen(model), (false, Known), "{model}");
        }
        for model in [
            "grok-2-vision",
            "my-vision-model",
            "internvl2:8b",
            "yi-vl-plus",
        ] {
            assert_eq!(seen(model), (true, Guess), "{model}");
        }
        for model in ["llama3.1:8b", "mistral-large", "qwen-max", "", "kimi-k2"] {
            assert_eq!(seen(model), (false, Guess), "{model}");
        }
    }
}
