//! Knowledge base verbs: the bases, their sources and files, indexing, search, and which
//! bases an agent or a conversation searches. The knowledge hub is also the chat engine's
//! [`Retriever`]: the engine asks it for passages and never sees a base.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;

use super::Api;
use crate::chat::{Retrieval, Retriever};
use crate::error::{Error, Result};
use crate::knowledge::{
    FileStatus, KnowledgeBase, KnowledgeBaseInput, KnowledgeFilePage, KnowledgeHub,
    KnowledgeProgress, KnowledgeSearch, KnowledgeSource, Owner, bases, files,
};
use crate::llm::Attached;
use crate::problem::{Problem, Rule};

/// The most files one page lists.
pub const MAX_FILE_PAGE: u32 = 500;
/// The most hits one search gives.
pub const MAX_SEARCH_HITS: u32 = 50;

pub(super) struct Passages(pub Arc<KnowledgeHub>);

/// The chat engine's rate limiter, shared with the knowledge bases' provider requests.
pub(super) struct EnginePace(pub Arc<crate::chat::ChatEngine>);

impl crate::knowledge::Pacer for EnginePace {
    fn wait<'a>(&'a self, base_url: &'a str) -> BoxFuture<'a, ()> {
        self.0.wait_rate_limit(base_url).boxed()
    }
}

impl Retriever for Passages {
    fn retrieve<'a>(
        &'a self,
        conversation_id: &'a str,
        agent_id: Option<&'a str>,
        question: &'a str,
        images: bool,
    ) -> BoxFuture<'a, Result<Option<Retrieval>>> {
        async move {
            let found = self
                .0
                .retrieve(conversation_id, agent_id, question, images)
                .await?;
            Ok(found.map(|found| Retrieval {
                parts: found.parts,
                context: found.context,
                images: found
                    .images
                    .into_iter()
                    .map(|image| Attached::Image {
                        mime: image.mime,
                        data: image.data.into(),
                    })
                    .collect(),
            }))
        }
        .boxed()
    }
}

impl Api {
    pub async fn list_knowledge_bases(&self) -> Result<Vec<KnowledgeBase>> {
        self.knowledge.list().await
    }

    pub async fn create_knowledge_base(&self, input: &KnowledgeBaseInput) -> Result<KnowledgeBase> {
        self.knowledge.create(input).await
    }

    /// Saves a knowledge base's settings; a new provider or model embeds every file again.
    pub async fn update_knowledge_base(
        &self,
        id: &str,
        input: &KnowledgeBaseInput,
    ) -> Result<KnowledgeBase> {
        self.knowledge.update(id, input).await
    }

    /// Deletes a knowledge base and frees its space.
    pub async fn delete_knowledge_base(&self, id: &str) -> Result<()> {
        self.knowledge.delete(id).await
    }

    pub async fn list_knowledge_sources(&self, kb_id: &str) -> Result<Vec<KnowledgeSource>> {
        bases::get(self.conn(), kb_id).await?;
        bases::sources(self.conn(), kb_id).await
    }

    /// Adds a file or a folder (watched) and starts indexing it.
    pub async fn add_knowledge_source(&self, kb_id: &str, path: &str) -> Result<KnowledgeSource> {
        self.knowledge.add_source(kb_id, path).await
    }

    pub async fn remove_knowledge_source(&self, kb_id: &str, source_id: &str) -> Result<()> {
        self.knowledge.remove_source(kb_id, source_id).await
    }

    pub async fn set_knowledge_source_watch(
        &self,
        kb_id: &str,
        source_id: &str,
        watch: bool,
    ) -> Result<()> {
        self.knowledge.set_watch(kb_id, source_id, watch).await
    }

    /// A page of a knowledge base's files, by path, optionally of one status.
    pub async fn list_knowledge_files(
        &self,
        kb_id: &str,
        status: Option<FileStatus>,
        offset: u32,
        limit: u32,
    ) -> Result<KnowledgeFilePage> {
        bases::get(self.conn(), kb_id).await?;
        files::page(
            self.conn(),
            kb_id,
            status,
            offset,
            limit.clamp(1, MAX_FILE_PAGE),
        )
        .await
    }

    pub async fn knowledge_progress(&self, kb_id: &str) -> Result<KnowledgeProgress> {
        let kb = bases::get(self.conn(), kb_id).await?;
        Ok(self.knowledge.progress(kb_id, kb.paused))
    }

    /// Pauses indexing after the file being read.
    pub async fn pause_knowledge(&self, kb_id: &str) -> Result<()> {
        self.knowledge.pause(kb_id, false).await
    }

    /// Stops indexing at once; the rest stays pending until resumed.
    pub async fn cancel_knowledge(&self, kb_id: &str) -> Result<()> {
        self.knowledge.pause(kb_id, true).await
    }

    pub async fn resume_knowledge(&self, kb_id: &str) -> Result<()> {
        self.knowledge.resume(kb_id).await
    }

    /// Scans every source again and tries failed files once more.
    pub async fn reindex_knowledge(&self, kb_id: &str) -> Result<()> {
        self.knowledge.reindex(kb_id).await
    }

    /// Searches one knowledge base as a reply would.
    pub async fn search_knowledge(
        &self,
        kb_id: &str,
        query: &str,
        limit: u32,
    ) -> Result<KnowledgeSearch> {
        bases::get(self.conn(), kb_id).await?;
        if query.trim().is_empty() {
            return Err(Error::invalid(Problem::required("query")));
        }
        let limit = limit.clamp(1, MAX_SEARCH_HITS) as usize;
        self.knowledge
            .search(&[kb_id.to_string()], query, limit)
            .await
    }

    pub async fn agent_knowledge(&self, agent_id: &str) -> Result<Vec<String>> {
        crate::agents::get(self.conn(), agent_id).await?;
        self.knowledge.attached(Owner::Agent(agent_id)).await
    }

    pub async fn set_agent_knowledge(&self, agent_id: &str, kb_ids: &[String]) -> Result<()> {
        crate::agents::get(self.conn(), agent_id).await?;
        self.knowledge
            .set_attached(Owner::Agent(agent_id), kb_ids)
            .await
    }

    pub async fn conversation_knowledge(&self, conversation_id: &str) -> Result<Vec<String>> {
        crate::store::conversations::find(self.conn(), conversation_id).await?;
        self.knowledge
            .attached(Owner::Conversation(conversation_id))
            .await
    }

    /// The knowledge bases a conversation searches besides its agent's.
    pub async fn set_conversation_knowledge(
        &self,
        conversation_id: &str,
        kb_ids: &[String],
    ) -> Result<()> {
        crate::store::conversations::find(self.conn(), conversation_id).await?;
        self.knowledge
            .set_attached(Owner::Conversation(conversation_id), kb_ids)
            .await
    }

    /// The path of a knowledge base's file, checked: only a file some knowledge base
    /// holds may be opened from a citation.
    pub async fn knowledge_file_to_open(&self, path: &str) -> Result<String> {
        if files::is_known_path(self.conn(), path).await? && std::path::Path::new(path).is_file() {
            Ok(path.to_string())
        } else {
            Err(Error::invalid(Problem::new("path", Rule::NotALocalFile)))
        }
    }

    /// What the diagnostics report says of the knowledge bases (a failure to read them
    /// leaves them out: the report is for when things go wrong).
    pub(super) async fn knowledge_facts(&self) -> Vec<crate::diagnostics::KnowledgeFacts> {
        let Ok(list) = self.knowledge.list().await else {
            return Vec::new();
        };
        list.into_iter()
            .map(|kb| crate::diagnostics::KnowledgeFacts {
                stopped_by: self.knowledge.progress(&kb.id, kb.paused).stopped_by,
                counts: kb.counts,
                embedding_model: kb.embedding_model,
                dimensions: kb.dimensions,
                reranks: kb.rerank_model.is_some(),
                paused: kb.paused,
            })
            .collect()
    }

    /// The knowledge bases a conversation's replies search (its agent's and its own) and
    /// what their passages may take of a request, for the context preview.
    pub(super) async fn context_knowledge(
        &self,
        conversation_id: &str,
        agent_id: Option<&str>,
    ) -> Result<Option<crate::chat::ContextKnowledge>> {
        let ids = self.knowledge.bases_for(conversation_id, agent_id).await?;
        if ids.is_empty() {
            return Ok(None);
        }
        let mut knowledge = crate::chat::ContextKnowledge {
            bases: Vec::new(),
            tokens: 0,
            passages: 0,
        };
        for id in ids {
            let kb = bases::get(self.conn(), &id).await?;
            knowledge.bases.push(kb.name);
            knowledge.tokens = knowledge.tokens.max(kb.context_tokens);
            knowledge.passages = knowledge.passages.max(kb.top_k);
        }
        Ok(Some(knowledge))
    }

    /// Indexes in memory now (for diagnostics and tests).
    pub async fn knowledge_indexes_loaded(&self) -> usize {
        self.knowledge.loaded().await
    }
}
