//! Writing conversations to a file, a page at a time.
//!
//! The export reads inside one read transaction, so it is a consistent snapshot even while
//! replies are being written. The file is written under a temporary name beside the target
//! and renamed at the end: the target is either the whole export or untouched.
//!
//! Attachments go along: Confab JSON lists the bytes of each one its messages use, once,
//! after the conversations; Markdown writes them to a folder beside the file (see
//! [`super::files`]).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use base64::prelude::BASE64_STANDARD;
use base64::write::EncoderWriter;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::files::Folder;
use super::record::{ConversationRecord, MessageRecord};
use super::{CONVERSATIONS_FORMAT, CONVERSATIONS_VERSION, markdown};
use crate::error::{Error, ErrorCode, Result};
use crate::problem::Problem;
use crate::store::backup::io_error;
use crate::store::entities::{agent, conversation};
use crate::store::{blobs, conversations, now_ms, tree};

/// Conversations read from the database at once.
const CONVERSATION_PAGE: u64 = 100;
/// Messages read from the database at once.
const MESSAGE_PAGE: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// For reading.
    Markdown,
    /// Confab JSON, for importing again.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub path: String,
    pub conversations: u32,
    pub messages: u64,
    pub bytes: u64,
}

/// Writes the conversations `ids` (in that order), or every conversation (active and
/// archived, oldest first) when `ids` is `None`, to `path` in `format`. An existing file is
/// replaced (the save dialog has asked).
pub async fn export_to_file(
    db: &DatabaseConnection,
    ids: Option<&[String]>,
    format: ExportFormat,
    path: &Path,
) -> Result<ExportSummary> {
    if ids.is_some_and(<[String]>::is_empty) {
        return Err(Error::invalid(Problem::required("ids")));
    }
    let partial = partial_path(path);
    let mut folder = Folder::beside(path);
    let written = async {
        let file = crate::store::private::create_file(&partial)
            .map_err(|error| io_error("create", &partial, &error))?;
        let mut sink = Sink {
            out: BufWriter::new(file),
            format,
            path: &partial,
            conversations: 0,
            messages: 0,
            first_message: true,
            blobs: Vec::new(),
            listed: HashSet::new(),
            folder: &mut folder,
        };
        write_all(db, ids, &mut sink).await?;
        let (conversations, messages) = (sink.conversations, sink.messages);
        let file = sink
            .out
            .into_inner()
            .map_err(|error| io_error("write", &partial, error.error()))?;
        file.sync_all()
            .map_err(|error| io_error("write", &partial, &error))?;
        std::fs::rename(&partial, path).map_err(|error| io_error("rename", &partial, &error))?;
        Ok::<_, Error>((conversations, messages))
    }
    .await;
    let (conversations, messages) = match written {
        Ok(counts) => counts,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            folder.discard();
            return Err(error);
        }
    };
    let bytes = std::fs::metadata(path).map_or(0, |meta| meta.len());
    tracing::info!(
        conversations,
        messages,
        bytes,
        ?format,
        "conversations exported"
    );
    Ok(ExportSummary {
        path: path.to_string_lossy().into_owned(),
        conversations,
        messages,
        bytes,
    })
}

async fn write_all(
    db: &DatabaseConnection,
    ids: Option<&[String]>,
    sink: &mut Sink<'_>,
) -> Result<()> {
    // A read transaction: every page below sees the same snapshot of the file.
    let txn = db.begin().await?;
    let mut agents = AgentSlugs::default();
    sink.start()?;
    match ids {
        Some(ids) => {
            for id in ids {
                let row = crate::store::conversations::find(&txn, id).await?;
                write_conversation(&txn, row, &mut agents, sink).await?;
            }
        }
        None => {
            let mut after_rid = 0;
            loop {
                let rows = conversation::Entity::find()
                    .filter(conversation::Column::Rid.gt(after_rid))
                    .order_by_asc(conversation::Column::Rid)
                    .limit(CONVERSATION_PAGE)
                    .all(&txn)
                    .await?;
                let Some(last) = rows.last() else { break };
                after_rid = last.rid;
                for row in rows {
                    write_conversation(&txn, row, &mut agents, sink).await?;
                }
            }
        }
    }
    sink.attachments(&txn).await?;
    sink.finish()?;
    txn.commit().await?;
    Ok(())
}

async fn write_conversation(
    db: &impl ConnectionTrait,
    row: conversation::Model,
    agents: &mut AgentSlugs,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let slug = agents.slug(db, row.agent_id.as_deref()).await?;
    let id = row.id.clone();
    sink.conversation_start(&ConversationRecord::of(row, slug))?;
    if sink.format == ExportFormat::Markdown {
        // A document reads one way through: the branch shown.
        let conversation = conversations::find(db, &id).await?;
        if let Some(leaf) = tree::leaf(db, &conversation).await? {
            for message in tree::whole_path(db, &leaf).await? {
                let links = sink.folder.links(db, &message.parts).await?;
                sink.message(&MessageRecord::from(message), &links)?;
            }
        }
        return sink.conversation_end();
    }
    // Confab JSON keeps every version and branch, parents before their children.
    let mut after: Option<String> = None;
    loop {
        let page = tree::page_all(db, &id, after.as_deref(), MESSAGE_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for message in page {
            sink.message(&MessageRecord::from(message), &[])?;
        }
    }
    sink.conversation_end()
}

/// Agent row id → slug, looked up once each.
#[derive(Default)]
struct AgentSlugs(HashMap<String, Option<String>>);

impl AgentSlugs {
    async fn slug(
        &mut self,
        db: &impl ConnectionTrait,
        id: Option<&str>,
    ) -> Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        if let Some(slug) = self.0.get(id) {
            return Ok(slug.clone());
        }
        let slug = agent::Entity::find_by_id(id.to_string())
            .select_only()
            .column(agent::Column::AgentId)
            .into_tuple::<String>()
            .one(db)
            .await?;
        self.0.insert(id.to_string(), slug.clone());
        Ok(slug)
    }
}

/// The file being written, in either format.
struct Sink<'a> {
    out: BufWriter<File>,
    format: ExportFormat,
    path: &'a Path,
    conversations: u32,
    messages: u64,
    /// No message of the current conversation written yet (JSON needs no comma).
    first_message: bool,
    /// The attachments the messages written to JSON use, in the order first used.
    blobs: Vec<String>,
    listed: HashSet<String>,
    /// Where a Markdown export's attachments go.
    folder: &'a mut Folder,
}

impl Sink<'_> {
    fn start(&mut self) -> Result<()> {
        match self.format {
            ExportFormat::Markdown => Ok(()),
            ExportFormat::Json => self.write(&format!(
                "{{\"format\":{},\"version\":{CONVERSATIONS_VERSION},\"exportedAt\":{},\"conversations\":[",
                json(&CONVERSATIONS_FORMAT)?,
                now_ms()
            )),
        }
    }

    fn conversation_start(&mut self, record: &ConversationRecord) -> Result<()> {
        let first = self.conversations == 0;
        self.conversations += 1;
        match self.format {
            ExportFormat::Markdown => {
                if !first {
                    self.write(markdown::SEPARATOR)?;
                }
                self.write(&markdown::conversation_head(record))
            }
            ExportFormat::Json => {
                // The record's fields, then the messages streamed into the same object: the
                // serialized record always ends with its closing brace, which is reopened.
                let head = json(record)?;
                let head = head.strip_suffix('}').unwrap_or(&head);
                let comma = if first { "" } else { "," };
                self.write(&format!("{comma}\n{head},\"messages\":["))?;
                self.first_message = true;
                Ok(())
            }
        }
    }

    /// Writes one message; `links` are the Markdown lines of its attachments.
    fn message(&mut self, record: &MessageRecord, links: &[String]) -> Result<()> {
        self.messages += 1;
        match self.format {
            ExportFormat::Markdown => self.write(&markdown::message(record, links)),
            ExportFormat::Json => {
                for sha256 in blobs::named_by(record.parts.as_deref().unwrap_or_default()) {
                    if self.listed.insert(sha256.to_string()) {
                        self.blobs.push(sha256.to_string());
                    }
                }
                let comma = if std::mem::take(&mut self.first_message) {
                    ""
                } else {
                    ","
                };
                self.write(&format!("{comma}\n  {}", json(record)?))
            }
        }
    }

    fn conversation_end(&mut self) -> Result<()> {
        match self.format {
            ExportFormat::Markdown => Ok(()),
            ExportFormat::Json => self.write("]}"),
        }
    }

    /// Ends the list of conversations and writes the attachments' list: each blob once,
    /// its bytes in base64, one blob in memory at a time. A part naming a blob that is not
    /// stored (its import came without it) lists nothing.
    async fn attachments(&mut self, db: &impl ConnectionTrait) -> Result<()> {
        if self.format != ExportFormat::Json {
            return Ok(());
        }
        self.write("\n],\"attachments\":[")?;
        let mut first = true;
        for sha256 in std::mem::take(&mut self.blobs) {
            let blob = match blobs::get(db, &sha256).await {
                Ok(blob) => blob,
                Err(error) if error.code() == ErrorCode::NotFound => continue,
                Err(error) => return Err(error),
            };
            let comma = if std::mem::take(&mut first) { "" } else { "," };
            self.write(&format!(
                "{comma}\n  {{\"sha256\":{},\"mime\":{},\"data\":\"",
                json(&blob.sha256)?,
                json(&blob.mime)?
            ))?;
            let encoded = {
                let mut encoder = EncoderWriter::new(&mut self.out, &BASE64_STANDARD);
                encoder
                    .write_all(&blob.data)
                    .and_then(|()| encoder.finish().map(|_| ()))
            };
            encoded.map_err(|error| io_error("write", self.path, &error))?;
            self.write("\"}")?;
        }
        self.write("\n]")
    }

    fn finish(&mut self) -> Result<()> {
        match self.format {
            ExportFormat::Markdown => Ok(()),
            ExportFormat::Json => self.write("}\n"),
        }
    }

    fn write(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|error| io_error("write", self.path, &error))
    }
}

fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|error| Error::internal("export", error))
}

/// `chats.json` → `chats.json.partial`, beside it.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}
