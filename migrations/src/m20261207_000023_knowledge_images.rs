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
-- Whether a knowledge base reads image files too (embedded as images by a multimodal model
-- such as jina-clip-v2). Off unless the person turns it on.
ALTER TABLE knowledge_bases ADD COLUMN index_images INTEGER NOT NULL DEFAULT 0;
-- What a chunk stands for: 'text' (a passage of a document) or 'image' (a whole image file,
-- its text the file's name and folders, its vector the image's).
ALTER TABLE knowledge_chunks ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "ALTER TABLE knowledge_chunks DROP COLUMN kind;
             ALTER TABLE knowledge_bases DROP COLUMN index_images;",
        )
        .await
    }
}
