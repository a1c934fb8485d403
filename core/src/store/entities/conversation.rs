use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub rid: i64,
    #[sea_orm(unique)]
    pub id: String,
    pub agent_id: Option<String>,
    pub title: String,
    pub context_override: Option<Json>,
    pub status: ConversationStatus,
    pub pinned: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The last message of the branch shown (see `store::tree`).
    pub leaf_id: Option<String>,
    /// Off: the agent's tools are not offered in this conversation (migration 21).
    pub tools_enabled: bool,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, Type,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "archived")]
    Archived,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::message::Entity")]
    Message,
}

impl Related<super::message::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Message.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
