//! What a reply cost: a price per model (per million tokens, in the vendor's currency),
//! shipped for the common models of the provider presets and set by the user per provider
//! and model, which wins.
//!
//! Shipped prices are found by model name, without a router's `vendor/` prefix
//! (`openai/gpt-4o-mini`) and a dated snapshot suffix (`gpt-4o-mini-2024-07-18`, the name
//! OpenAI reports back). A provider on this computer or the local network has none; a
//! provider at a vendor's own address has only that vendor's; any other (a router, a
//! proxy) may have any.

mod shipped;
mod store;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::messages::Cost;
use shipped::{SHIPPED, Shipped};
pub use store::{list, price_for, remove, reply_cost, set};

/// The highest price per million tokens accepted: far above any real one, it keeps a
/// mistyped figure from turning every total into nonsense.
pub const MAX_PRICE: i64 = 1_000_000;
/// The longest model name (as for a provider's default model).
pub const MAX_MODEL_CHARS: usize = 200;

/// The price of one model, per million tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    pub input: f64,
    /// Input the provider served from its cache; `None`: billed as `input`.
    pub cached_input: Option<f64>,
    pub output: f64,
    /// ISO 4217 code, `USD`, `CNY`...
    pub currency: String,
}

/// A model's price for one provider, as the settings list it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelPrice {
    pub model: String,
    /// The price in force.
    pub price: Price,
    /// Whether `price` is the user's own (removing it falls back to `shipped`).
    pub custom: bool,
    /// The price Confab ships for this model, if any.
    pub shipped: Option<Price>,
}

impl Price {
    /// The same price with its currency code trimmed and in capitals (`usd` → `USD`).
    pub fn normalized(&self) -> Self {
        Self {
            currency: self.currency.trim().to_ascii_uppercase(),
            ..self.clone()
        }
    }

    /// Every figure finite and in 0–[`MAX_PRICE`], the currency three letters; or each
    /// field that is not, by its camelCase name.
    pub fn validate(&self) -> Result<()> {
        Error::check(self.problems())
    }

    fn problems(&self) -> Vec<Problem> {
        let mut found = Vec::new();
        let figures = [
            ("input", Some(self.input)),
            ("cachedInput", self.cached_input),
            ("output", Some(self.output)),
        ];
        for (path, value) in figures {
            // NaN fails the range check too.
            if value.is_some_and(|value| !(0.0..=MAX_PRICE as f64).contains(&value)) {
                found.push(Problem::out_of_range(path, 0, MAX_PRICE));
            }
        }
        let currency = self.currency.trim();
        if currency.is_empty() {
            found.push(Problem::required("currency"));
        } else if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            found.push(Problem::new("currency", Rule::CurrencyCode));
        }
        found
    }
}

/// What a reply cost at `price`, in its currency. Cached tokens are part of the prompt
/// tokens (as providers count them), billed at the cached price when there is one.
pub fn cost(
    price: &Price,
    prompt_tokens: u32,
    cached_tokens: Option<u32>,
    completion_tokens: u32,
) -> f64 {
    let cached = cached_tokens.unwrap_or(0).min(prompt_tokens);
    let fresh = prompt_tokens - cached;
    let per_token = |tokens: u32, per_million: f64| f64::from(tokens) * per_million / 1e6;
    per_token(fresh, price.input)
        + per_token(cached, price.cached_input.unwrap_or(price.input))
        + per_token(completion_tokens, price.output)
}

/// The cost of a reply continued by a second request: both requests' costs added, when
/// both are known and in one currency; else the later one's, or the earlier one's.
pub fn added(earlier: Option<&Cost>, now: Option<Cost>) -> Option<Cost> {
    match (earlier, now) {
        (Some(before), Some(after)) if before.currency == after.currency => Some(Cost {
            amount: before.amount + after.amount,
            ..after
        }),
        (before, after) => after.or_else(|| before.cloned()),
    }
}

/// The user's price of `model` (trimmed) valid, or each problem of both.
fn check_input(model: &str, price: &Price) -> Result<()> {
    let mut found = Vec::new();
    if model.is_empty() {
        found.push(Problem::required("model"));
    } else if model.chars().count() > MAX_MODEL_CHARS {
        found.push(Problem::limit("model", Rule::TooLong, MAX_MODEL_CHARS));
    }
    found.extend(price.problems());
    Error::check(found)
}

/// The shipped prices that can apply to a provider at `base_url`.
fn shipped_for(base_url: &str) -> Vec<&'static Shipped> {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return Vec::new();
    };
    if crate::llm::is_local_url(&url) {
        return Vec::new();
    }
    let vendor = crate::providers::provider_presets()
        .into_iter()
        .find(|preset| {
            reqwest::Url::parse(preset.base_url).is_ok_and(|own| own.host_str() == url.host_str())
        })
        .map(|preset| preset.id);
    let own: Vec<_> = SHIPPED
        .iter()
        .filter(|shipped| Some(shipped.vendor) == vendor)
        .collect();
    if own.is_empty() {
        SHIPPED.iter().collect()
    } else {
        own
    }
}

/// The shipped price of `model` at a provider at `base_url`.
fn shipped_price(base_url: &str, model: &str) -> Option<Price> {
    let name = base_model(model);
    shipped_for(base_url)
        .into_iter()
        .find(|shipped| shipped.model.eq_ignore_ascii_case(name))
        .map(Shipped::price)
}

/// `model` without a router's `vendor/` prefix and a dated snapshot suffix.
fn base_model(model: &str) -> &str {
    let name = model.rsplit('/').next().unwrap_or(model);
    without_date(name)
}

/// `name` without a trailing `-YYYY-MM-DD`.
fn without_date(name: &str) -> &str {
    const SUFFIX: usize = "-2024-07-18".len();
    let Some(cut) = name.len().checked_sub(SUFFIX) else {
        return name;
    };
    let Some(tail) = name.get(cut..) else {
        return name;
    };
    let dated = tail.bytes().enumerate().all(|(at, byte)| match at {
        0 | 5 | 8 => byte == b'-',
        _ => byte.is_ascii_digit(),
    });
    if dated && cut > 0 { &name[..cut] } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(input: f64, cached_input: Option<f64>, output: f64, currency: &str) -> Price {
        Price {
            input,
            cached_input,
            output,
            currency: currency.into(),
        }
    }

    fn rules(price: &Price) -> Vec<(String, Rule)> {
        match price.validate() {
            Ok(()) => Vec::new(),
            Err(Error::InvalidInput(problems)) => {
                problems.into_iter().map(|p| (p.path, p.rule)).collect()
            }
            Err(other) => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn prices_must_be_finite_non_negative_figures_in_a_currency() {
        assert!(rules(&price(2.5, Some(1.25), 10.0, "USD")).is_empty());
        assert!(rules(&price(0.0, None, 0.0, " cny ")).is_empty());
        assert_eq!(
            rules(&price(-1.0, Some(f64::NAN), f64::INFINITY, "")),
            [
                ("input".into(), Rule::OutOfRange),
                ("cachedInput".into(), Rule::OutOfRange),
                ("output".into(), Rule::OutOfRange),
                ("currency".into(), Rule::Required),
            ]
        );
        for odd in ["US", "USDT", "U$D", "元元元"] {
            assert_eq!(
                rules(&price(1.0, None, 1.0, odd)),
                [("currency".into(), Rule::CurrencyCode)],
                "{odd}"
            );
        }
        assert_eq!(price(1.0, None, 1.0, " usd ").normalized().currency, "USD");
        let fine = price(1.0, None, 1.0, "USD");
        assert!(check_input("gpt-4o", &fine).is_ok());
        assert!(check_input("", &fine).is_err());
        assert!(check_input(&"m".repeat(MAX_MODEL_CHARS + 1), &fine).is_err());
    }

    #[test]
    fn shipped_prices_are_found_by_model_name_at_the_right_vendor() {
        let openai = "https://api.openai.com/v1";
        let found = |url: &str, model: &str| shipped_price(url, model).map(|p| p.currency);
        assert_eq!(found(openai, "gpt-4o-mini"), Some("USD".into()));
        assert_eq!(found(openai, "gpt-4o-mini-2024-07-18"), Some("USD".into()));
        assert_eq!(
            shipped_price(openai, "gpt-4o-2024-08-06").map(|p| p.input),
            Some(2.5)
        );
        // At OpenAI's address only OpenAI's prices apply.
        assert_eq!(found(openai, "deepseek-chat"), None);
        assert_eq!(
            found("https://api.deepseek.com/v1", "deepseek-chat"),
            Some("CNY".into())
        );
        let router = "https://openrouter.ai/api/v1";
        assert_eq!(found(router, "openai/gpt-4o-mini"), Some("USD".into()));
        assert_eq!(found(router, "qwen/qwen-plus"), Some("CNY".into()));
        assert_eq!(found(router, "llama3.2"), None);
        // Nobody bills for a server on this computer or the local network.
        for local in ["http://127.0.0.1:11434/v1", "http://192.168.1.9:8000/v1"] {
            assert_eq!(found(local, "gpt-4o"), None, "{local}");
        }
        assert_eq!(found("not a url", "gpt-4o"), None);
    }

    #[test]
    fn every_shipped_price_is_valid_and_belongs_to_a_preset() {
        let presets = crate::providers::provider_presets();
        for shipped in &SHIPPED {
            shipped.price().validate().expect(shipped.model);
            let preset = presets.iter().find(|p| p.id == shipped.vendor);
            assert!(preset.is_some_and(|p| p.needs_key), "{}", shipped.model);
        }
    }

    #[test]
    fn cached_tokens_are_part_of_the_prompt_and_billed_at_the_cached_price() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        let gpt4o = price(2.5, Some(1.25), 10.0, "USD");
        assert!(close(cost(&gpt4o, 1_000_000, None, 0), 2.5));
        assert!(close(cost(&gpt4o, 0, None, 1_000_000), 10.0));
        // 600k fresh at 2.5, 400k cached at 1.25, 2k out at 10.
        assert!(close(
            cost(&gpt4o, 1_000_000, Some(400_000), 2_000),
            1.5 + 0.5 + 0.02
        ));
        // Without a cached price, cached input costs as much as any input.
        let flat = price(2.0, None, 10.0, "CNY");
        assert!(close(cost(&flat, 1_000, Some(800), 0), 0.002));
        // More cached than prompt tokens (a provider's odd report) bills no more than the
        // prompt; nothing is negative, nothing overflows.
        assert!(close(cost(&gpt4o, 100, Some(500), 0), 100.0 * 1.25 / 1e6));
        assert!(cost(&gpt4o, u32::MAX, Some(u32::MAX), u32::MAX).is_finite());
        assert_eq!(cost(&gpt4o, 0, Some(0), 0), 0.0);
    }

    #[test]
    fn a_continued_reply_costs_both_requests_in_one_currency() {
        let cost = |amount: f64, currency: &str| Cost {
            amount,
            currency: currency.into(),
        };
        let sum = added(Some(&cost(0.25, "USD")), Some(cost(0.5, "USD")));
        assert_eq!(sum, Some(cost(0.75, "USD")));
        // Never USD plus CNY: the later price stands.
        let mixed = added(Some(&cost(0.25, "USD")), Some(cost(2.0, "CNY")));
        assert_eq!(mixed, Some(cost(2.0, "CNY")));
        assert_eq!(
            added(Some(&cost(0.25, "USD")), None),
            Some(cost(0.25, "USD"))
        );
        assert_eq!(added(None, Some(cost(1.0, "CNY"))), Some(cost(1.0, "CNY")));
        assert_eq!(added(None, None), None);
    }

    #[test]
    fn dated_suffixes_and_router_prefixes_come_off() {
        assert_eq!(base_model("openai/gpt-4o-mini-2024-07-18"), "gpt-4o-mini");
        assert_eq!(base_model("o4-mini-2025-04-16"), "o4-mini");
        assert_eq!(base_model("gpt-4o"), "gpt-4o");
        assert_eq!(base_model("-2024-07-18"), "-2024-07-18");
        assert_eq!(base_model("model-2024-7-18x"), "model-2024-7-18x");
        assert_eq!(base_model("模型-2024-07-18"), "模型");
        assert_eq!(base_model("模型模型模"), "模型模型模");
    }
}
