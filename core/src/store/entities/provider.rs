use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "providers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub kind: String,
    pub base_url: String,
    pub default_model: String,
    /// Plain extra headers (name → value); never a credential.
    pub extra_headers: Json,
    /// Names of the secret extra headers, whose values are in the keychain.
    pub secret_headers: Json,
    /// The keychain account holding the key (`provider:<id>`), never the key.
    pub key_ref: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
