use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use specta::Type;

pub use crate::vocab::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub rid: i64,
    #[sea_orm(unique)]
    pub id: String,
    pub conversation_id: String,
    /// The message this one follows; `None` for a first message (see migration 14).
    pub parent_id: Option<String>,
    /// The depth in the conversation's tree: versions of a message share it.
    pub seq: i64,
    pub role: Role,
    pub content: String,
    pub created_at: i64,
    pub state: MessageState,
    pub in_context: bool,
    pub meta: Json,
    pub debug: Option<Json>,
    /// When this version was last shown: below a message, the child chosen last is shown.
    pub chosen_at: i64,
    /// All parts as JSON when there is more than `content`; `None`: one text part.
    pub parts: Option<Json>,
    /// The end of the branch below this message when another version took its place.
    pub left_leaf_id: Option<String>,
}

/// How a message ended. Only assistant replies are ever anything but `Complete`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, Type,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    #[sea_orm(string_value = "complete")]
    Complete,
    /// The stream stopped before the provider said it was finished.
    #[sea_orm(string_value = "partial")]
    Partial,
    #[sea_orm(string_value = "error")]
    Error,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::conversation::Entity",
        from = "Column::ConversationId",
        to = "super::conversation::Column::Id",
        on_delete = "Cascade"
    )]
    Conversation,
}

impl Related<super::conversation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Conversation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
