//! Ready-made profiles for common OpenAI-compatible services, to fill the "new provider" form.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderPreset {
    /// A stable identifier for the UI (e.g. an icon), not stored anywhere.
    pub id: &'static str,
    pub name: &'static str,
    pub base_url: &'static str,
    /// A model the service offers, as a starting point; the user may pick another.
    pub default_model: &'static str,
    /// Whether the service needs an API key (local servers do not).
    pub needs_key: bool,
}

const fn preset(
    id: &'static str,
    name: &'static str,
    base_url: &'static str,
    default_model: &'static str,
    needs_key: bool,
) -> ProviderPreset {
    ProviderPreset {
        id,
        name,
        base_url,
        default_model,
        needs_key,
    }
}

const PRESETS: [ProviderPreset; 7] = [
    preset(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        "gpt-4o-mini",
        true,
    ),
    preset(
        "deepseek",
        "DeepSeek",
        "https://api.deepseek.com/v1",
        "deepseek-chat",
        true,
    ),
    preset(
        "qwen",
        "Qwen (DashScope)",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "qwen-plus",
        true,
    ),
    preset(
        "moonshot",
        "Moonshot (Kimi)",
        "https://api.moonshot.cn/v1",
        "moonshot-v1-8k",
        true,
    ),
    preset(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        "openai/gpt-4o-mini",
        true,
    ),
    preset(
        "ollama",
        "Ollama",
        "http://127.0.0.1:11434/v1",
        "llama3.2",
        false,
    ),
    preset(
        "lmstudio",
        "LM Studio",
        "http://127.0.0.1:1234/v1",
        "qwen2.5-7b-instruct",
        false,
    ),
];

pub fn provider_presets() -> Vec<ProviderPreset> {
    PRESETS.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_a_valid_url_and_a_model() {
        for preset in provider_presets() {
            let url = crate::providers::normalize_base_url(preset.base_url).expect(preset.id);
            assert_eq!(url, preset.base_url, "stored as given");
            assert!(!preset.default_model.is_empty());
        }
        let local: Vec<_> = provider_presets()
            .into_iter()
            .filter(|p| !p.needs_key)
            .map(|p| p.id)
            .collect();
        assert_eq!(local, ["ollama", "lmstudio"]);
    }
}
