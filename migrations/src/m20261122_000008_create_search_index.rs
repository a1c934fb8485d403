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
-- Full-text search over message content and conversation titles. The trigram tokenizer
-- matches any substring of three or more characters, so Chinese text (no spaces between
-- words) is found as well as English. External-content tables: the text is stored once,
-- in messages / conversations, and the triggers keep the index in step.
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content = 'messages', content_rowid = 'rid', tokenize = 'trigram'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.rid, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rid, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rid, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.rid, new.content);
END;

CREATE VIRTUAL TABLE conversations_fts USING fts5(
    title, content = 'conversations', content_rowid = 'rid', tokenize = 'trigram'
);
CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_fts (rowid, title) VALUES (new.rid, new.title);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.rid, old.title);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.rid, old.title);
    INSERT INTO conversations_fts (rowid, title) VALUES (new.rid, new.title);
END;
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_delete;
             DROP TRIGGER messages_fts_update; DROP TABLE messages_fts;
             DROP TRIGGER conversations_fts_insert; DROP TRIGGER conversations_fts_delete;
             DROP TRIGGER conversations_fts_update; DROP TABLE conversations_fts;",
        )
        .await
    }
}
