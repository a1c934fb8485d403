//! The user's prices, in `model_prices`, one row per provider and model.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryResult, Statement, Value};

use super::{
    ModelPrice, Price, base_model, check_input, cost, shipped_for, shipped_price, without_date,
};
use crate::error::{Error, Result};
use crate::store::entities::provider;
use crate::store::messages::{Cost, MessageMeta};
use crate::store::now_ms;

/// Every model with a price at the provider: the shipped prices that apply to it and the
/// user's own, by model name.
pub async fn list(db: &impl ConnectionTrait, provider_id: &str) -> Result<Vec<ModelPrice>> {
    let base_url = base_url(db, provider_id).await?;
    let mut prices: BTreeMap<String, ModelPrice> = shipped_for(&base_url)
        .into_iter()
        .map(|shipped| {
            let entry = ModelPrice {
                model: shipped.model.to_string(),
                price: shipped.price(),
                custom: false,
                shipped: Some(shipped.price()),
            };
            (entry.model.clone(), entry)
        })
        .collect();
    for (model, price) in own_prices(db, provider_id, None).await? {
        let shipped = shipped_price(&base_url, &model);
        prices.insert(
            model.clone(),
            ModelPrice {
                model,
                price,
                custom: true,
                shipped,
            },
        );
    }
    Ok(prices.into_values().collect())
}

/// Stores the user's price of `model` at the provider, replacing an earlier one.
pub async fn set(
    db: &impl ConnectionTrait,
    provider_id: &str,
    model: &str,
    price: &Price,
) -> Result<()> {
    let price = price.normalized();
    let model = model.trim();
    check_input(model, &price)?;
    base_url(db, provider_id).await?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO model_prices
             (provider_id, model, input, cached_input, output, currency, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider_id, model) DO UPDATE SET
             input = excluded.input, cached_input = excluded.cached_input,
             output = excluded.output, currency = excluded.currency,
             updated_at = excluded.updated_at",
        [
            provider_id.into(),
            model.into(),
            price.input.into(),
            price.cached_input.into(),
            price.output.into(),
            price.currency.into(),
            now_ms().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Removes the user's price of `model` at the provider (the shipped one, if any, applies
/// again). Removing a price that is not there is not an error.
pub async fn remove(db: &impl ConnectionTrait, provider_id: &str, model: &str) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "DELETE FROM model_prices WHERE provider_id = ? AND model = ?",
        [provider_id.into(), model.trim().into()],
    ))
    .await?;
    Ok(())
}

/// The price of a reply by `model` at the provider: the user's own (for the model as
/// named, or without its snapshot date or router prefix), else the shipped one; `None`
/// when neither is known or the provider is gone.
pub async fn price_for(
    db: &impl ConnectionTrait,
    provider_id: &str,
    model: &str,
) -> Result<Option<Price>> {
    let Some(row) = provider::Entity::find_by_id(provider_id).one(db).await? else {
        return Ok(None);
    };
    let names = [model, without_date(model), base_model(model)];
    let own = own_prices(db, provider_id, Some(&names)).await?;
    let mine = names
        .iter()
        .find_map(|name| own.iter().find(|(model, _)| model == name));
    Ok(match mine {
        Some((_, price)) => Some(price.clone()),
        None => shipped_price(&row.base_url, model),
    })
}

/// What a reply cost at the provider's price for the model that answered (`meta.model`,
/// else `requested`), from its token counts. `None` without counts or a price; a price
/// that cannot be read is logged and leaves the reply without a cost.
pub async fn reply_cost(
    db: &impl ConnectionTrait,
    provider_id: &str,
    requested: &str,
    meta: &MessageMeta,
) -> Option<Cost> {
    let (prompt, completion) = (meta.prompt_tokens?, meta.completion_tokens?);
    let model = meta.model.as_deref().unwrap_or(requested);
    let price = match price_for(db, provider_id, model).await {
        Ok(price) => price?,
        Err(error) => {
            tracing::warn!(%error, "the price of the reply could not be read");
            return None;
        }
    };
    Some(Cost {
        amount: cost(&price, prompt, meta.cached_tokens, completion),
        currency: price.currency,
    })
}

/// The base URL of the provider, or `not_found`.
async fn base_url(db: &impl ConnectionTrait, provider_id: &str) -> Result<String> {
    provider::Entity::find_by_id(provider_id)
        .one(db)
        .await?
        .map(|row| row.base_url)
        .ok_or_else(|| Error::not_found("provider", provider_id))
}

/// The user's prices at the provider, of the models `only` names (all when `None`).
async fn own_prices(
    db: &impl ConnectionTrait,
    provider_id: &str,
    only: Option<&[&str]>,
) -> Result<Vec<(String, Price)>> {
    let mut sql = "SELECT model, input, cached_input, output, currency FROM model_prices
                   WHERE provider_id = ?"
        .to_string();
    let mut values: Vec<Value> = vec![provider_id.into()];
    if let Some(models) = only {
        let marks = vec!["?"; models.len()].join(", ");
        sql.push_str(&format!(" AND model IN ({marks})"));
        values.extend(models.iter().map(|model| Value::from(*model)));
    }
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    rows.iter().map(row_price).collect()
}

fn row_price(row: &QueryResult) -> Result<(String, Price)> {
    Ok((
        row.try_get_by_index(0)?,
        Price {
            input: row.try_get_by_index(1)?,
            cached_input: row.try_get_by_index(2)?,
            output: row.try_get_by_index(3)?,
            currency: row.try_get_by_index(4)?,
        },
    ))
}
