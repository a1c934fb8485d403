use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub agent_id: String,
    pub provider_id: Option<String>,
    pub model: Option<String>,
    pub params: Json,
    pub preset_messages: Json,
    pub app_preset: Json,
    pub context_policy: Json,
    pub builtin: bool,
    /// The MCP tools the agent may use (`vocab::AgentTools`, migration 21).
    pub tools: Json,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
