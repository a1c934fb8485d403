//! The `mcp_servers` table: the MCP servers the person added. Secret values of their
//! environment and headers are in the keychain; rows name them only.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

use super::entities::mcp_server::{self, Column, Entity};
use crate::error::Result;

/// Every server, by name.
pub async fn list(db: &sea_orm::DatabaseConnection) -> Result<Vec<mcp_server::Model>> {
    Ok(Entity::find().order_by_asc(Column::Name).all(db).await?)
}

pub async fn get(db: &sea_orm::DatabaseConnection, id: &str) -> Result<Option<mcp_server::Model>> {
    Ok(Entity::find_by_id(id.to_string()).one(db).await?)
}

/// Whether a server other than `except` has this name (names compare without case).
pub async fn name_taken(
    db: &sea_orm::DatabaseConnection,
    name: &str,
    except: Option<&str>,
) -> Result<bool> {
    let lower = name.to_lowercase();
    Ok(list(db)
        .await?
        .iter()
        .any(|row| row.name.to_lowercase() == lower && Some(row.id.as_str()) != except))
}

pub async fn insert(db: &sea_orm::DatabaseConnection, row: mcp_server::Model) -> Result<()> {
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

pub async fn update(db: &sea_orm::DatabaseConnection, row: mcp_server::Model) -> Result<()> {
    row.into_active_model().reset_all().update(db).await?;
    Ok(())
}

pub async fn set_enabled(
    db: &sea_orm::DatabaseConnection,
    id: &str,
    enabled: bool,
) -> Result<bool> {
    let done = Entity::update_many()
        .col_expr(Column::Enabled, sea_orm::sea_query::Expr::value(enabled))
        .col_expr(
            Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(super::now_ms()),
        )
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

pub async fn delete(db: &sea_orm::DatabaseConnection, id: &str) -> Result<bool> {
    Ok(Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
