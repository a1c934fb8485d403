//! Knowledge bases: documents cut into chunks for retrieval.

pub mod chunk;
