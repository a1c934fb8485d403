//! [`HnswIndex`]: the approximate index, an HNSW graph from USearch kept in memory and
//! saved to a file beside the database (see `file.rs` for the file).
//!
//! Locking: the engine adds, removes and searches from many threads at once as long as
//! each call has one of the per-thread contexts it reserved (`slots.rs` hands them out)
//! and no call runs while it grows its capacity (the `engine` lock, taken for writing only
//! to grow). Adds and removes of the same key are serialised by a striped lock (a replace
//! is a remove then an add), and saving stops every add and remove (the `writes` lock)
//! while searches go on.

use std::path::Path;
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use super::slots::Slots;
use super::{Hit, IndexError, VectorIndex, checked, file};

/// How each stored value is kept: the memory and disk size per vector against recall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantization {
    /// One byte per value, a quarter of `F32`: each vector scaled so its largest value
    /// is ±127, then rounded (cosine does not see the scale).
    I8,
    /// Half precision: two bytes per value.
    F16,
    /// Full precision: four bytes per value.
    F32,
}

/// The graph's shape and search effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HnswSettings {
    /// Neighbours kept per node on the upper layers (twice as many on the bottom one).
    pub connectivity: usize,
    /// Candidates weighed when a vector is added (build effort).
    pub expansion_add: usize,
    /// Candidates weighed per query (at least `k`): recall against query time.
    pub expansion_search: usize,
    pub quantization: Quantization,
}

impl Default for HnswSettings {
    /// The settings BENCHMARKS.md measures (recall@10 against exact search, query time and
    /// memory at 100,000 and 1,000,000 vectors).
    fn default() -> Self {
        Self {
            connectivity: 16,
            expansion_add: 128,
            expansion_search: 128,
            quantization: Quantization::I8,
        }
    }
}

/// Capacity is reserved in steps of at least this many vectors.
const MIN_STEP: usize = 1024;
/// Key stripes serialising adds and removes of the same key.
const STRIPES: usize = 64;

/// An approximate cosine index over an HNSW graph.
pub struct HnswIndex {
    dimensions: usize,
    quantization: Quantization,
    threads: usize,
    engine: RwLock<Index>,
    slots: Slots,
    writes: RwLock<()>,
    stripes: Vec<Mutex<()>>,
}

impl HnswIndex {
    /// An empty index of `dimensions`-value vectors with the default settings.
    pub fn new(dimensions: usize) -> Result<Self, IndexError> {
        Self::with_settings(dimensions, HnswSettings::default())
    }

    /// An empty index with these settings.
    pub fn with_settings(dimensions: usize, settings: HnswSettings) -> Result<Self, IndexError> {
        if dimensions == 0 {
            return Err(IndexError::Dimensions {
                expected: 1,
                got: 0,
            });
        }
        let options = IndexOptions {
            dimensions,
            metric: MetricKind::Cos,
            quantization: match settings.quantization {
                Quantization::I8 => ScalarKind::I8,
                Quantization::F16 => ScalarKind::F16,
                Quantization::F32 => ScalarKind::F32,
            },
            connectivity: settings.connectivity,
            expansion_add: settings.expansion_add,
            expansion_search: settings.expansion_search,
            multi: false,
        };
        let index = Index::new(&options).map_err(failed)?;
        Self::wrap(index, dimensions, settings.quantization)
    }

    /// The index saved at `path` by [`HnswIndex::save`], with the default search effort.
    /// A file that is cut short, changed, or holds other dimensions is refused.
    pub fn open(path: &Path, dimensions: usize) -> Result<Self, IndexError> {
        let payload = file::read(path, dimensions)?;
        let damaged = |reason: String| IndexError::Damaged { reason };
        let meta = Index::metadata_from_buffer(&payload).map_err(|e| damaged(e.to_string()))?;
        if meta.dimensions != dimensions as u64 || meta.metric != MetricKind::Cos || meta.multi {
            return Err(damaged(
                "its header does not describe a cosine index".into(),
            ));
        }
        let index = Index::new(&meta.into()).map_err(failed)?;
        index
            .load_from_buffer(&payload)
            .map_err(|e| damaged(e.to_string()))?;
        drop(payload);
        let settings = HnswSettings::default();
        index.change_expansion_add(settings.expansion_add);
        index.change_expansion_search(settings.expansion_search);
        let quantization = match meta.quantization {
            ScalarKind::I8 => Quantization::I8,
            ScalarKind::F16 => Quantization::F16,
            ScalarKind::F32 => Quantization::F32,
            _ => {
                return Err(damaged(
                    "its values are of a kind this build does not write".into(),
                ));
            }
        };
        Self::wrap(index, dimensions, quantization)
    }

    fn wrap(
        index: Index,
        dimensions: usize,
        quantization: Quantization,
    ) -> Result<Self, IndexError> {
        // Contexts for the app's searches and ingestion together, not only one per core.
        let threads = std::thread::available_parallelism()
            .map_or(4, usize::from)
            .clamp(4, 64);
        let capacity = index.size().max(MIN_STEP);
        index
            .reserve_capacity_and_threads(capacity, threads)
            .map_err(failed)?;
        Ok(Self {
            dimensions,
            quantization,
            threads,
            engine: RwLock::new(index),
            slots: Slots::new(threads),
            writes: RwLock::new(()),
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
        })
    }

    /// Writes the index to `path` atomically (a temporary file beside it, then renamed).
    /// Adds and removes wait while it saves; searches go on.
    pub fn save(&self, path: &Path) -> Result<(), IndexError> {
        let _writes = self.writes.write().unwrap_or_else(PoisonError::into_inner);
        let engine = self.engine();
        let mut payload = vec![0u8; engine.serialized_length()];
        engine.save_to_buffer(&mut payload).map_err(failed)?;
        drop(engine);
        file::save(path, self.dimensions, &payload)
    }

    /// Sets the candidates weighed per query (recall against time).
    pub fn set_expansion_search(&self, expansion: usize) {
        self.engine().change_expansion_search(expansion.max(1));
    }

    /// Bytes the engine holds for the graph and the vectors.
    pub fn memory_bytes(&self) -> usize {
        self.engine().memory_usage()
    }

    /// The engine, shared: any call but growing its capacity.
    fn engine(&self) -> RwLockReadGuard<'_, Index> {
        // The engine keeps its own state consistent; the lock only orders growth.
        self.engine.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserves another step of capacity when fewer free places are left than callers
    /// that could be adding at once.
    fn make_room(&self) -> Result<(), IndexError> {
        let full = |index: &Index| index.size() + self.threads >= index.capacity();
        if !full(&self.engine()) {
            return Ok(());
        }
        let index = self.engine.write().unwrap_or_else(PoisonError::into_inner);
        if full(&index) {
            let capacity = index.capacity();
            let grown = capacity + (capacity / 2).max(MIN_STEP);
            index
                .reserve_capacity_and_threads(grown, self.threads)
                .map_err(failed)?;
        }
        Ok(())
    }

    fn stripe(&self, key: u64) -> std::sync::MutexGuard<'_, ()> {
        self.stripes[(key % STRIPES as u64) as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl VectorIndex for HnswIndex {
    fn dimensions(&self) -> usize {
        self.dimensions
    }

    fn len(&self) -> usize {
        self.engine().size()
    }

    fn add(&self, key: u64, vector: &[f32]) -> Result<(), IndexError> {
        let vector = checked(vector, self.dimensions)?;
        let _writes = self.writes.read().unwrap_or_else(PoisonError::into_inner);
        let _key = self.stripe(key);
        // The slot first: it bounds how many adds can be between the room check and their
        // add to the number of contexts, which is the room kept free.
        let _slot = self.slots.take();
        self.make_room()?;
        let engine = self.engine();
        if engine.contains(key) {
            engine.remove(key).map_err(failed)?;
        }
        match self.quantization {
            Quantization::I8 => engine.add(key, &to_i8(&vector)),
            Quantization::F16 | Quantization::F32 => engine.add(key, &vector),
        }
        .map_err(failed)
    }

    fn remove(&self, key: u64) -> Result<(), IndexError> {
        let _writes = self.writes.read().unwrap_or_else(PoisonError::into_inner);
        let _key = self.stripe(key);
        let _slot = self.slots.take();
        self.engine().remove(key).map_err(failed)?;
        Ok(())
    }

    fn search(&self, query: &[f32], k: usize) -> Result<Vec<Hit>, IndexError> {
        let query = checked(query, self.dimensions)?;
        if k == 0 {
            return Ok(Vec::new());
        }
        let _slot = self.slots.take();
        let engine = self.engine();
        let found = match self.quantization {
            Quantization::I8 => engine.search(&to_i8(&query), k),
            Quantization::F16 | Quantization::F32 => engine.search(&query, k),
        }
        .map_err(failed)?;
        Ok(found
            .keys
            .into_iter()
            .zip(found.distances)
            .map(|(key, distance)| Hit {
                key,
                similarity: 1.0 - distance,
            })
            .collect())
    }
}

/// `vector` scaled so its largest value is ±127 and rounded. The engine's own cast from
/// `f32` scales to length 127 and truncates, which leaves a 768-value vector a few levels
/// of the 256 (recall@10 fell to 0.92 on 64 clustered dimensions); scaling by the largest
/// value uses them all.
fn to_i8(vector: &[f32]) -> Vec<i8> {
    let largest = vector.iter().fold(0f32, |m, x| m.max(x.abs()));
    if largest == 0.0 {
        return vec![0; vector.len()];
    }
    let scale = 127.0 / largest;
    vector
        .iter()
        .map(|x| (x * scale).round().clamp(-127.0, 127.0) as i8)
        .collect()
}

/// The engine's exception as an error (its text is the only detail it gives).
fn failed(error: impl std::fmt::Display) -> IndexError {
    IndexError::Engine(error.to_string())
}

#[cfg(test)]
mod tests;
