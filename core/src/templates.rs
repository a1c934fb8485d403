//! Context templates: named system prompts to start a conversation's context from. At most
//! one is the default (a partial unique index holds the invariant in the database too).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::chat::ContextOverride;
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::entities::{context_template, conversation};
use crate::store::{begin_write, conversations, new_id, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextTemplate {
    pub id: String,
    pub name: String,
    pub content: String,
    pub is_default: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<context_template::Model> for ContextTemplate {
    fn from(model: context_template::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            content: model.content,
            is_default: model.is_default,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub name: String,
    pub content: String,
}

const MAX_NAME_CHARS: usize = 100;
const MAX_CONTENT_BYTES: usize = 1 << 20;

impl TemplateInput {
    fn validated(&self) -> Result<Self> {
        let name = self.name.trim();
        let mut found = Vec::new();
        if name.is_empty() {
            found.push(Problem::required("name"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            found.push(Problem::limit("name", Rule::TooLong, MAX_NAME_CHARS));
        }
        if self.content.trim().is_empty() {
            found.push(Problem::required("content"));
        } else if self.content.len() > MAX_CONTENT_BYTES {
            found.push(Problem::limit("content", Rule::TooLarge, MAX_CONTENT_BYTES));
        }
        Error::check(found)?;
        Ok(Self {
            name: name.to_string(),
            content: self.content.clone(),
        })
    }
}

pub async fn create(db: &impl ConnectionTrait, input: &TemplateInput) -> Result<ContextTemplate> {
    let input = input.validated()?;
    let now = now_ms();
    let model = context_template::ActiveModel {
        id: Set(new_id()),
        name: Set(input.name),
        content: Set(input.content),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

/// All templates: the default first, then by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ContextTemplate>> {
    let rows = context_template::Entity::find()
        .order_by_desc(context_template::Column::IsDefault)
        .order_by_asc(context_template::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(ContextTemplate::from).collect())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<ContextTemplate> {
    find(db, id).await.map(ContextTemplate::from)
}

async fn find(db: &impl ConnectionTrait, id: &str) -> Result<context_template::Model> {
    context_template::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("context template", id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    input: &TemplateInput,
) -> Result<ContextTemplate> {
    let input = input.validated()?;
    let mut model: context_template::ActiveModel = find(db, id).await?.into();
    model.name = Set(input.name);
    model.content = Set(input.content);
    model.updated_at = Set(now_ms());
    Ok(model.update(db).await?.into())
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    let result = context_template::Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::not_found("context template", id));
    }
    Ok(())
}

/// Makes `id` the default template (`None`: no default), clearing any other in the same
/// transaction.
pub async fn set_default(db: &DatabaseConnection, id: Option<&str>) -> Result<()> {
    let txn = begin_write(db).await?;
    if let Some(id) = id {
        find(&txn, id).await?;
    }
    let now = now_ms();
    context_template::Entity::update_many()
        .col_expr(context_template::Column::IsDefault, Expr::value(false))
        .col_expr(context_template::Column::UpdatedAt, Expr::value(now))
        .filter(context_template::Column::IsDefault.eq(true))
        .exec(&txn)
        .await?;
    if let Some(id) = id {
        context_template::Entity::update_many()
            .col_expr(context_template::Column::IsDefault, Expr::value(true))
            .col_expr(context_template::Column::UpdatedAt, Expr::value(now))
            .filter(context_template::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The default template, when one is set.
pub async fn default_template(db: &impl ConnectionTrait) -> Result<Option<ContextTemplate>> {
    Ok(context_template::Entity::find()
        .filter(context_template::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .map(ContextTemplate::from))
}

/// Sets the conversation's system prompt (its context override) to the template's content;
/// the override's preset messages, if any, are kept. Returns the new override.
pub async fn apply_template(
    db: &DatabaseConnection,
    conversation_id: &str,
    template_id: &str,
) -> Result<ContextOverride> {
    let txn = begin_write(db).await?;
    let template = find(&txn, template_id).await?;
    let current = conversations::find(&txn, conversation_id).await?;
    let mut over: ContextOverride = current
        .context_override
        .clone()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    over.system_prompt = Some(template.content);
    let value =
        serde_json::to_value(&over).map_err(|error| Error::internal("context override", error))?;
    let mut model: conversation::ActiveModel = current.into();
    model.context_override = Set(Some(value));
    model.updated_at = Set(now_ms());
    model.update(&txn).await?;
    txn.commit().await?;
    Ok(over)
}
