use sea_orm_migration::prelude::*;

use crate::exec;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            r#"
-- What the user says a model at a provider can do, over what Confab knows or guesses from
-- the model's name. `vision`: 1 when it can see images, 0 when it cannot.
CREATE TABLE model_capabilities (
    provider_id TEXT    NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    model       TEXT    NOT NULL,
    vision      INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (provider_id, model)
);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE model_capabilities;").await
    }
}
