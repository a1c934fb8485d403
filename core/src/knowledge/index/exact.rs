//! [`ExactIndex`]: every stored vector compared with the query. The ground truth the
//! approximate index is measured against, and fast enough for a small knowledge base
//! (a few tens of thousands of chunks).

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use super::{Hit, IndexError, VectorIndex, checked};

/// Brute-force cosine search over normalised `f32` vectors kept in one flat array.
pub struct ExactIndex {
    dimensions: usize,
    inner: RwLock<Rows>,
}

#[derive(Default)]
struct Rows {
    /// The key of each row, in row order.
    keys: Vec<u64>,
    /// Row of each key.
    rows: HashMap<u64, usize>,
    /// `keys.len() * dimensions` values, row after row.
    values: Vec<f32>,
}

impl ExactIndex {
    /// An empty index of `dimensions`-value vectors.
    pub fn new(dimensions: usize) -> Self {
        Self {
            dimensions,
            inner: RwLock::default(),
        }
    }
}

impl VectorIndex for ExactIndex {
    fn dimensions(&self) -> usize {
        self.dimensions
    }

    fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .keys
            .len()
    }

    fn add(&self, key: u64, vector: &[f32]) -> Result<(), IndexError> {
        let vector = checked(vector, self.dimensions)?;
        // Every write below leaves the rows consistent before it can panic (an allocation
        // failure aborts), so a poisoned lock still guards valid rows.
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        let dims = self.dimensions;
        if let Some(&row) = inner.rows.get(&key) {
            inner.values[row * dims..(row + 1) * dims].copy_from_slice(&vector);
        } else {
            let row = inner.keys.len();
            inner.keys.push(key);
            inner.values.extend_from_slice(&vector);
            inner.rows.insert(key, row);
        }
        Ok(())
    }

    fn remove(&self, key: u64) -> Result<(), IndexError> {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        let Some(row) = inner.rows.remove(&key) else {
            return Ok(());
        };
        // The last row moves into the hole.
        let dims = self.dimensions;
        let last = inner.keys.len() - 1;
        inner.keys.swap_remove(row);
        if row != last {
            let moved = inner.keys[row];
            inner.rows.insert(moved, row);
            inner
                .values
                .copy_within(last * dims..(last + 1) * dims, row * dims);
        }
        inner.values.truncate(last * dims);
        Ok(())
    }

    fn search(&self, query: &[f32], k: usize) -> Result<Vec<Hit>, IndexError> {
        let query = checked(query, self.dimensions)?;
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let mut hits: Vec<Hit> = inner
            .values
            .chunks_exact(self.dimensions.max(1))
            .zip(&inner.keys)
            .map(|(row, &key)| Hit {
                key,
                similarity: dot(row, &query),
            })
            .collect();
        let best_first = |a: &Hit, b: &Hit| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.key.cmp(&b.key))
        };
        if k < hits.len() {
            hits.select_nth_unstable_by(k, best_first);
            hits.truncate(k);
        }
        hits.sort_unstable_by(best_first);
        Ok(hits)
    }
}

/// The dot product, which is the cosine similarity of two normalised vectors.
pub(super) fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(hits: &[Hit]) -> Vec<u64> {
        hits.iter().map(|hit| hit.key).collect()
    }

    #[test]
    fn nearest_first_with_cosine_similarity() {
        let index = ExactIndex::new(2);
        index.add(1, &[1.0, 0.0]).unwrap();
        index.add(2, &[0.0, 5.0]).unwrap();
        index.add(3, &[1.0, 1.0]).unwrap();
        let hits = index.search(&[2.0, 0.1], 2).unwrap();
        assert_eq!(keys(&hits), vec![1, 3]);
        assert!((hits[0].similarity - 0.99875).abs() < 1e-4);
        assert_eq!(index.search(&[0.0, 1.0], 10).unwrap().len(), 3);
        assert!(index.search(&[0.0, 1.0], 0).unwrap().is_empty());
    }

    #[test]
    fn replace_and_remove_keep_the_rows_consistent() {
        let index = ExactIndex::new(2);
        for key in 1..=4 {
            index.add(key, &[key as f32, 1.0]).unwrap();
        }
        index.add(2, &[-1.0, 0.0]).unwrap();
        assert_eq!(index.len(), 4);
        assert_eq!(keys(&index.search(&[-1.0, 0.0], 1).unwrap()), vec![2]);
        index.remove(1).unwrap();
        index.remove(1).unwrap();
        assert_eq!(index.len(), 3);
        // Row 1 was refilled by the last row (key 4): its vector must have moved with it.
        assert_eq!(keys(&index.search(&[4.0, 1.0], 1).unwrap()), vec![4]);
        let all = keys(&index.search(&[1.0, 1.0], 10).unwrap());
        assert!(!all.contains(&1) && all.len() == 3);
    }

    #[test]
    fn wrong_dimensions_and_nan_are_refused() {
        let index = ExactIndex::new(3);
        assert!(matches!(
            index.add(1, &[1.0, 2.0]),
            Err(IndexError::Dimensions {
                expected: 3,
                got: 2
            })
        ));
        assert!(matches!(
            index.add(1, &[1.0, f32::NAN, 0.0]),
            Err(IndexError::NotFinite)
        ));
        assert!(matches!(
            index.search(&[0.0; 4], 1),
            Err(IndexError::Dimensions { .. })
        ));
        assert!(index.is_empty());
    }
}
