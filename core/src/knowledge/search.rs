//! Searching knowledge bases: keyword search (the FTS5 trigram index, so Chinese works)
//! and vector search (the question embedded, the nearest chunks of the index), fused by
//! reciprocal rank, optionally reranked by the provider's `/rerank`, and cut to what is
//! relevant: a keyword hit must hold half the question's words, a vector hit must be close
//! enough. What is not relevant is not returned, so "nothing found" can be said.

use std::collections::HashMap;

use tokio_util::sync::CancellationToken;

use super::chunks;
use super::fuse::reciprocal_rank_fusion;
use super::hub::KnowledgeHub;
use super::ingest::code_of;
use super::types::{KnowledgeBase, KnowledgeHit, KnowledgeSearch};
use super::{bases, client};
use crate::error::Result;

/// Candidates each search gives the fusion.
const CANDIDATES: usize = 50;
/// Cosine similarity under which a vector hit is not relevant.
pub const MIN_SIMILARITY: f32 = 0.3;
/// The most characters of a question searched.
const MAX_QUERY_CHARS: usize = 2_000;
/// The most terms put into a keyword query.
const MAX_TERMS: usize = 32;
/// The RRF constant.
const RRF_K: f32 = 60.0;

/// Words too common to say what a question is about.
const STOPWORDS: [&str; 30] = [
    "the", "and", "for", "are", "was", "what", "how", "who", "why", "when", "where", "which",
    "with", "this", "that", "from", "does", "did", "can", "you", "your", "about", "there", "their",
    "have", "has", "into", "not", "but", "之类",
];

impl KnowledgeHub {
    /// The passages of `kb_ids` relevant to `query`, best first, at most `limit`.
    pub async fn search(
        &self,
        kb_ids: &[String],
        query: &str,
        limit: usize,
    ) -> Result<KnowledgeSearch> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let terms = terms(&query);
        let mut all: Vec<KnowledgeHit> = Vec::new();
        let mut semantic = false;
        let mut semantic_error = None;
        for kb_id in kb_ids {
            let kb = bases::get(self.db.conn(), kb_id).await?;
            let (hits, vector) = self.search_one(&kb, &query, &terms, limit).await?;
            match vector {
                Ok(true) => semantic = true,
                Ok(false) => {}
                Err(error) => semantic_error = Some(code_of(&error)),
            }
            all.extend(hits);
        }
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        all.truncate(limit);
        Ok(KnowledgeSearch {
            hits: all,
            semantic,
            semantic_error,
        })
    }

    /// One knowledge base's hits, and whether its vector search ran (or why it failed).
    async fn search_one(
        &self,
        kb: &KnowledgeBase,
        query: &str,
        terms: &[String],
        limit: usize,
    ) -> Result<(Vec<KnowledgeHit>, Result<bool>)> {
        let db = self.db.conn();
        let mut keyword_ids = Vec::new();
        if let Some(expression) = match_expression(terms) {
            let ids = chunks::keyword(db, &kb.id, &expression, CANDIDATES as u32).await?;
            let found = chunks::hits(db, &ids).await?;
            keyword_ids = found
                .iter()
                .filter(|hit| covers(&hit.text, &hit.heading, terms, query))
                .map(|hit| hit.chunk_id)
                .collect();
        }
        let (vector_ids, similarity, vector) = match self.vector_search(kb, query).await {
            Ok(Some(found)) => {
                let similarity: HashMap<i64, f32> = found.iter().copied().collect();
                (
                    found.into_iter().map(|(id, _)| id).collect(),
                    similarity,
                    Ok(true),
                )
            }
            Ok(None) => (Vec::new(), HashMap::new(), Ok(false)),
            Err(error) => {
                tracing::warn!(%error, "a knowledge base's vector search failed; keywords only");
                (Vec::new(), HashMap::new(), Err(error))
            }
        };
        let fused = reciprocal_rank_fusion(&[keyword_ids.clone(), vector_ids.clone()], RRF_K);
        let ids: Vec<i64> = fused
            .iter()
            .map(|(id, _)| *id)
            .take(limit.max(1) * 3)
            .collect();
        let scores: HashMap<i64, f32> = fused.into_iter().collect();
        let mut hits = chunks::hits(db, &ids).await?;
        for hit in &mut hits {
            hit.score = scores.get(&hit.chunk_id).copied().unwrap_or_default();
            if keyword_ids.contains(&hit.chunk_id) {
                hit.via.push("keyword".into());
            }
            if similarity.contains_key(&hit.chunk_id) {
                hit.via.push("vector".into());
            }
        }
        if let Some(model) = kb.rerank_model.as_deref().filter(|m| !m.trim().is_empty()) {
            hits = self.rerank(kb, model, query, hits, limit).await;
        }
        hits.truncate(limit);
        Ok((hits, vector))
    }

    /// The chunks nearest to the question (with their similarity), when the knowledge base
    /// embeds and has vectors.
    async fn vector_search(
        &self,
        kb: &KnowledgeBase,
        query: &str,
    ) -> Result<Option<Vec<(i64, f32)>>> {
        let (Some(provider), Some(dims)) = (&kb.provider_id, kb.dimensions) else {
            return Ok(None);
        };
        if kb.embedding_model.trim().is_empty() {
            return Ok(None);
        }
        let client = client::provider_client(
            self.db.conn(),
            &self.keychain,
            &self.http,
            provider,
            &kb.embedding_model,
        )
        .await?;
        let vectors = self
            .embed(&client, &[query.to_string()], &CancellationToken::new())
            .await?;
        let Some(vector) = vectors.into_iter().next() else {
            return Ok(None);
        };
        let index = self.index(&kb.id, dims).await?;
        let found = tokio::task::spawn_blocking(move || index.search(&vector, CANDIDATES))
            .await
            .map_err(|error| crate::error::Error::internal("knowledge search", error))?
            .map_err(|error| crate::error::Error::internal("knowledge search", error))?;
        Ok(Some(
            found
                .into_iter()
                .filter(|hit| hit.similarity >= MIN_SIMILARITY)
                .filter_map(|hit| i64::try_from(hit.key).ok().map(|id| (id, hit.similarity)))
                .collect(),
        ))
    }

    /// The hits in the reranker's order (its score replacing the fused one); on failure the
    /// fused order stays.
    async fn rerank(
        &self,
        kb: &KnowledgeBase,
        model: &str,
        query: &str,
        hits: Vec<KnowledgeHit>,
        limit: usize,
    ) -> Vec<KnowledgeHit> {
        let Some(provider) = &kb.provider_id else {
            return hits;
        };
        if hits.len() < 2 {
            return hits;
        }
        let documents: Vec<String> = hits.iter().map(|hit| hit.text.clone()).collect();
        let ranked = async {
            let client = client::provider_client(
                self.db.conn(),
                &self.keychain,
                &self.http,
                provider,
                model,
            )
            .await?;
            client.rerank(model, query, &documents, limit).await
        };
        match ranked.await {
            Ok(order) => {
                let mut slots: Vec<Option<KnowledgeHit>> = hits.into_iter().map(Some).collect();
                order
                    .into_iter()
                    .filter_map(|(i, score)| {
                        let mut hit = slots.get_mut(i)?.take()?;
                        hit.score = score;
                        hit.via.push("reranked".into());
                        Some(hit)
                    })
                    .collect()
            }
            Err(error) => {
                tracing::warn!(%error, "reranking failed; the fused order stays");
                hits
            }
        }
    }
}

/// The words of a question worth searching for: lowercased, without common words, each
/// once; a run of CJK characters (no spaces between words) as its three-character pieces.
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let push = |term: String, terms: &mut Vec<String>| {
        if term.chars().count() >= 3
            && !STOPWORDS.contains(&term.as_str())
            && !terms.contains(&term)
        {
            terms.push(term);
        }
    };
    for word in query.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().any(|c| is_cjk(*c)) {
            for piece in chars.windows(3) {
                push(piece.iter().collect(), &mut terms);
            }
            if chars.len() < 3 {
                push(word, &mut terms);
            }
        } else {
            push(word, &mut terms);
        }
    }
    terms.truncate(MAX_TERMS);
    terms
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

/// An FTS5 expression matching any of the terms, each quoted so nothing in the question is
/// read as an operator.
fn match_expression(terms: &[String]) -> Option<String> {
    let quoted: Vec<String> = terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" OR "))
}

/// Whether a passage is about the question: it holds at least half the question's words
/// (all of one or two), or, for a question in Chinese or Japanese (no spaces between
/// words, whose three-character pieces mostly straddle words), a third of the question's
/// two-character pieces.
fn covers(text: &str, heading: &str, terms: &[String], query: &str) -> bool {
    let haystack = format!("{heading}\n{text}").to_lowercase();
    let words: Vec<&String> = terms
        .iter()
        .filter(|term| !term.chars().any(is_cjk))
        .collect();
    let held = words
        .iter()
        .filter(|term| haystack.contains(term.as_str()))
        .count();
    if held > 0 && held * 2 >= words.len() {
        return true;
    }
    let pairs = cjk_pairs(query);
    let held = pairs
        .iter()
        .filter(|pair| haystack.contains(pair.as_str()))
        .count();
    held > 0 && held * 3 >= pairs.len()
}

/// The distinct two-character pieces of the question's CJK runs.
fn cjk_pairs(query: &str) -> Vec<String> {
    let mut pairs: Vec<String> = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    for pair in chars.windows(2) {
        if pair.iter().all(|c| is_cjk(*c)) {
            let pair: String = pair.iter().collect();
            if !pairs.contains(&pair) {
                pairs.push(pair);
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_become_their_telling_words() {
        assert_eq!(terms("What is the Refund policy?"), ["refund", "policy"]);
        assert_eq!(terms("向量数据库"), ["向量数", "量数据", "数据库"]);
        assert!(terms("a an is of").is_empty());
    }

    #[test]
    fn quotes_in_a_question_stay_text() {
        let expression = match_expression(&["say \"hi\"".to_string()]);
        assert_eq!(expression.as_deref(), Some("\"say \"\"hi\"\"\""));
    }

    #[test]
    fn a_passage_is_relevant_when_it_holds_half_the_words() {
        let question = "refund policy for damaged parcels";
        let words = terms(question);
        let relevant = "Our refund policy covers damaged goods.";
        assert!(covers(relevant, "", &words, question));
        assert!(!covers("The weather policy.", "", &words, question));
        let question = "大熊猫每天吃多少竹子？";
        let words = terms(question);
        assert!(covers(
            "大熊猫以竹子为食，每天进食十几个小时。",
            "",
            &words,
            question
        ));
        assert!(!covers("咖啡豆烘焙的程度决定风味。", "", &words, question));
    }
}
