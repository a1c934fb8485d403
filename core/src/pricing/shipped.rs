//! The prices Confab ships for the common models of its provider presets, per million
//! tokens, as each vendor lists them on its own pricing page (late 2025). Prices change:
//! the user's own price for a provider and model always wins over these.
//!
//! Currencies are the vendor's own: USD for OpenAI; CNY for DeepSeek (its Chinese price
//! list, so a DeepSeek, Qwen and Moonshot bill adds up in one currency), Qwen (DashScope,
//! mainland region, the base tier of tiered prices) and Moonshot.

use super::Price;

/// One shipped price: the model as the vendor names it, and the preset it belongs to.
pub(super) struct Shipped {
    /// The id of the preset in `providers::presets` whose service charges this price.
    pub vendor: &'static str,
    pub model: &'static str,
    input: f64,
    cached_input: Option<f64>,
    output: f64,
    currency: &'static str,
}

impl Shipped {
    pub fn price(&self) -> Price {
        Price {
            input: self.input,
            cached_input: self.cached_input,
            output: self.output,
            currency: self.currency.to_string(),
        }
    }
}

const fn row(
    vendor: &'static str,
    currency: &'static str,
    model: &'static str,
    input: f64,
    cached_input: Option<f64>,
    output: f64,
) -> Shipped {
    Shipped {
        vendor,
        model,
        input,
        cached_input,
        output,
        currency,
    }
}

pub(super) const SHIPPED: [Shipped; 13] = [
    row("openai", "USD", "gpt-4o", 2.5, Some(1.25), 10.0),
    row("openai", "USD", "gpt-4o-mini", 0.15, Some(0.075), 0.6),
    row("openai", "USD", "gpt-4.1", 2.0, Some(0.5), 8.0),
    row("openai", "USD", "gpt-4.1-mini", 0.4, Some(0.1), 1.6),
    row("openai", "USD", "o4-mini", 1.1, Some(0.275), 4.4),
    // Both names run DeepSeek-V3.2 (without and with thinking) at one price.
    row("deepseek", "CNY", "deepseek-chat", 2.0, Some(0.2), 3.0),
    row("deepseek", "CNY", "deepseek-reasoner", 2.0, Some(0.2), 3.0),
    // DashScope bills implicitly cached input at 20% of the input price.
    row("qwen", "CNY", "qwen-plus", 0.8, Some(0.16), 2.0),
    row("qwen", "CNY", "qwen-max", 2.4, Some(0.48), 9.6),
    row("qwen", "CNY", "qwen-turbo", 0.3, Some(0.06), 0.6),
    row("moonshot", "CNY", "moonshot-v1-8k", 2.0, None, 10.0),
    row("moonshot", "CNY", "moonshot-v1-32k", 5.0, None, 20.0),
    row("moonshot", "CNY", "moonshot-v1-128k", 10.0, None, 30.0),
];
