//! Property tests of what a knowledge base takes from outside: any question searched gives
//! hits or a typed problem (never a database error from the query text, never a panic),
//! and documents with pages are cut so that no chunk spans two pages and none is lost.

#![allow(clippy::unwrap_used)]

mod common;

use common::knowledge::Rig;
use confab_core::ErrorCode;
use confab_core::knowledge::chunk::{ChunkOptions, chunk_by_page};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn question() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,200}",
        // FTS5's own syntax, quotes and operators: all must stay text.
        "[a-z\"*^():+\\- NEAR AND OR NOT{}\\[\\]]{0,80}",
        "[\u{4e00}-\u{9fa5}]{1,40}",
    ]
}

#[test]
fn any_question_gives_hits_or_a_typed_problem() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (rig, kb_id) = runtime.block_on(async {
        let rig = Rig::new(None).await;
        rig.write(
            "a.md",
            "# Notes\n\nThe refund policy covers damaged parcels. 向量数据库检索。",
        );
        rig.write("b.txt", "AND OR NOT NEAR \"quoted\" * ^ ( ) : - + {}");
        let kb = rig.keyword_base("Props").await;
        rig.api
            .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
            .await
            .unwrap();
        rig.settle(&kb.id).await;
        (rig, kb.id)
    });
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&question(), |query| {
            let found = runtime.block_on(rig.api.search_knowledge(&kb_id, &query, 5));
            match found {
                Ok(found) => prop_assert!(found.hits.len() <= 5),
                Err(error) => prop_assert_eq!(error.code(), ErrorCode::InvalidInput, "{}", error),
            }
            Ok(())
        })
        .unwrap();
}

/// A paged document as `extract` writes one: each page starts with a `## ` heading.
fn paged() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-zA-Z \u{4e00}-\u{9fa5}\n.,]{0,400}", 1..8)
}

proptest! {
    #![proptest_config(Config { cases: 64, failure_persistence: None, ..Config::default() })]

    #[test]
    fn no_chunk_spans_two_pages_and_no_text_is_lost(pages in paged(), size in 20u32..120) {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            starts.push(u32::try_from(text.len()).unwrap());
            text.push_str(&format!("## Page {}\n\n{page}\n", i + 1));
        }
        let options = ChunkOptions { max_tokens: size, overlap: size / 5 };
        let chunks = chunk_by_page(&text, &starts, true, &options);
        let mut covered = vec![false; text.len()];
        for (i, chunk) in chunks.iter().enumerate() {
            prop_assert_eq!(chunk.ord as usize, i);
            let start = chunk.start as usize;
            let end = start + chunk.text.len();
            prop_assert_eq!(&text[start..end], chunk.text.as_str());
            let page = chunk.page.unwrap() as usize;
            let page_start = starts[page - 1] as usize;
            let page_end = starts.get(page).map_or(text.len(), |&s| s as usize);
            prop_assert!(start >= page_start && end <= page_end, "chunk {} leaves page {}", i, page);
            covered[start..end].iter_mut().for_each(|c| *c = true);
        }
        for (at, c) in text.char_indices() {
            prop_assert!(c.is_whitespace() || covered[at], "{:?} at {} lost", c, at);
        }
    }
}
