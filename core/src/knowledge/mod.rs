//! Knowledge bases: a person's own documents, chunked, embedded and searched beside the
//! conversations. This part owns the vector index behind one trait ([`index::VectorIndex`])
//! and the fusion of keyword and vector rankings ([`fuse`]).

pub mod fuse;
pub mod index;
//! Knowledge bases: documents cut into chunks for retrieval.

pub mod chunk;
