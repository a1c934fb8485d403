//! What the embedder's tests share: a tiny BERT made here (weights, config, tokenizer),
//! and a file server on 127.0.0.1 that can misbehave on purpose.

#![allow(dead_code)] // each test file uses its own part of this

pub mod server;
pub mod tiny;
