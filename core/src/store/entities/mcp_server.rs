use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mcp_servers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// `stdio` or `http`.
    pub transport: String,
    pub command: Option<String>,
    /// The arguments, a JSON array of strings.
    pub args: Json,
    pub cwd: Option<String>,
    /// Name → `{"value": ..}` (plain) or `{"secret": true}` (value in the keychain).
    pub env: Json,
    pub url: Option<String>,
    /// Like `env`, for the HTTP headers.
    pub headers: Json,
    pub enabled: bool,
    pub call_timeout_secs: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
