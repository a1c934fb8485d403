//! The vector index of a knowledge base: one trait, [`VectorIndex`], so the embedded index
//! beside the database ([`HnswIndex`]) can later be swapped for a shared server (Milvus,
//! Qdrant) behind the same calls, and an exact one ([`ExactIndex`]) that is the ground truth
//! for the approximate one and is enough for small bases.
//!
//! Keys are chunk row ids. Vectors are compared by cosine similarity: every vector is
//! normalised on the way in ([`normalized`]), so a vector that cannot be (zero length,
//! NaN or infinite values) is refused, never stored.

mod exact;
mod file;
mod hnsw;
mod slots;
#[cfg(test)]
mod testdata;

pub use exact::ExactIndex;
pub use hnsw::{HnswIndex, HnswSettings, Quantization};

/// One search result: a key and its cosine similarity to the query (1 is the same
/// direction). An index that quantizes its vectors reports the similarity it computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub key: u64,
    pub similarity: f32,
}

/// Why an index refused a call or could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("the vector has {got} dimensions; this index holds {expected}")]
    Dimensions { expected: usize, got: usize },

    /// NaN or infinite values, or a zero vector: it has no direction to compare.
    #[error("the vector has no direction (a NaN or infinite value, or all zeros)")]
    NotFinite,

    /// The index file is not one this code wrote, is cut short, or fails its checksum.
    #[error("the index file is damaged: {reason}")]
    Damaged { reason: String },

    #[error("index file error: {0}")]
    Io(#[from] std::io::Error),

    /// The index engine failed an operation (e.g. memory could not be reserved).
    #[error("the vector index failed: {0}")]
    Engine(String),
}

/// Nearest-neighbour search over vectors keyed by chunk id.
///
/// Every method takes `&self`: an implementation locks inside, so searches run while
/// ingestion adds.
pub trait VectorIndex: Send + Sync {
    /// How many values each vector has.
    fn dimensions(&self) -> usize;

    /// How many keys are stored.
    fn len(&self) -> usize;

    /// Whether no key is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `key`, or replaces its vector when it is already stored.
    fn add(&self, key: u64, vector: &[f32]) -> Result<(), IndexError>;

    /// Removes `key`; removing a key that is not stored is not an error.
    fn remove(&self, key: u64) -> Result<(), IndexError>;

    /// The `k` nearest keys, most similar first, with their cosine similarity.
    fn search(&self, query: &[f32], k: usize) -> Result<Vec<Hit>, IndexError>;
}

/// `v` scaled to length 1, or `None` when it has no direction (a NaN or infinite value,
/// or all zeros).
pub fn normalized(v: &[f32]) -> Option<Vec<f32>> {
    if v.iter().any(|x| !x.is_finite()) {
        return None;
    }
    // Summed in f64: the squares of large f32 values overflow f32 long before f64.
    let norm = v
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return None;
    }
    Some(v.iter().map(|&x| (f64::from(x) / norm) as f32).collect())
}

/// `vector` checked against `dimensions` and normalised.
fn checked(vector: &[f32], dimensions: usize) -> Result<Vec<f32>, IndexError> {
    if vector.len() != dimensions {
        return Err(IndexError::Dimensions {
            expected: dimensions,
            got: vector.len(),
        });
    }
    normalized(vector).ok_or(IndexError::NotFinite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_has_length_one_and_keeps_the_direction() {
        let v = normalized(&[3.0, 0.0, 4.0]).unwrap_or_default();
        assert_eq!(v, vec![0.6, 0.0, 0.8]);
        let huge = normalized(&[f32::MAX, f32::MAX]).unwrap_or_default();
        assert!((huge[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }

    #[test]
    fn normalized_refuses_what_has_no_direction() {
        assert_eq!(normalized(&[0.0, 0.0]), None);
        assert_eq!(normalized(&[]), None);
        assert_eq!(normalized(&[1.0, f32::NAN]), None);
        assert_eq!(normalized(&[f32::INFINITY, 1.0]), None);
    }

    #[test]
    fn checked_names_both_dimensions() {
        match checked(&[1.0, 2.0], 3) {
            Err(IndexError::Dimensions {
                expected: 3,
                got: 2,
            }) => {}
            other => panic!("expected a dimensions error, got {other:?}"),
        }
    }
}
