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
-- Messages form a tree: a reply regenerated, or a message edited and sent again, becomes a
-- new child of the same parent (a version) instead of replacing the old one.
--
-- parent_id: the message this one follows; NULL for the first messages of a conversation.
--   No foreign key: SQLite runs a cascade as nested triggers, limited to 1000 levels, and a
--   conversation is deeper than that. The core deletes a message with all that hangs below
--   it in one statement (store::tree), and a conversation's messages go with it.
-- seq: the depth in the tree (1 for a first message): versions share it.
-- chosen_at: when this version was last shown (created, or switched to). Below a message
--   the branch shown is the child chosen last, so each version keeps the branch it had.
-- left_leaf_id: the end of the branch below this message when another version was shown in
--   its place; showing this one again starts from there instead of walking down the branch
--   (NULL: walk, following the choices).
-- parts: the message's parts as JSON when it has more than one text part (reasoning,
--   images, tool calls...); NULL for a message that is just `content`. `content` holds the
--   text parts joined, for search and for the model.
ALTER TABLE messages ADD COLUMN parent_id TEXT;
ALTER TABLE messages ADD COLUMN chosen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN parts TEXT;
ALTER TABLE messages ADD COLUMN left_leaf_id TEXT;
-- The last message of the branch shown: opening a conversation walks up from it.
ALTER TABLE conversations ADD COLUMN leaf_id TEXT;
-- A running reply's parent, and its reasoning so far.
ALTER TABLE stream_checkpoints ADD COLUMN parent_id TEXT;
ALTER TABLE stream_checkpoints ADD COLUMN reasoning TEXT NOT NULL DEFAULT '';

-- Until now a conversation was a line in seq order: each message follows the one before.
UPDATE messages SET parent_id = line.previous
FROM (
    SELECT rid, LAG(id) OVER (PARTITION BY conversation_id ORDER BY seq) AS previous
    FROM messages
) AS line
WHERE messages.rid = line.rid AND line.previous IS NOT NULL;
-- Depths: a line numbered 1, 2, 3... already is one, but deleted messages left gaps.
UPDATE messages SET seq = line.depth
FROM (
    SELECT rid, ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY seq) AS depth
    FROM messages
) AS line
WHERE messages.rid = line.rid AND messages.seq <> line.depth;
UPDATE conversations SET leaf_id = (
    SELECT id FROM messages m WHERE m.conversation_id = conversations.id
    ORDER BY m.seq DESC LIMIT 1
);

-- Versions share a depth, so (conversation_id, seq) is no longer unique.
DROP INDEX messages_by_conversation_seq;
CREATE INDEX messages_by_conversation_seq ON messages (conversation_id, seq);
-- The children of a message, the one chosen last first.
CREATE INDEX messages_by_parent ON messages (parent_id, chosen_at) WHERE parent_id IS NOT NULL;
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP INDEX messages_by_parent;
             DROP INDEX messages_by_conversation_seq;
             CREATE UNIQUE INDEX messages_by_conversation_seq ON messages (conversation_id, seq);
             ALTER TABLE stream_checkpoints DROP COLUMN reasoning;
             ALTER TABLE stream_checkpoints DROP COLUMN parent_id;
             ALTER TABLE conversations DROP COLUMN leaf_id;
             ALTER TABLE messages DROP COLUMN left_leaf_id;
             ALTER TABLE messages DROP COLUMN parts;
             ALTER TABLE messages DROP COLUMN chosen_at;
             ALTER TABLE messages DROP COLUMN parent_id;",
        )
        .await
    }
}
