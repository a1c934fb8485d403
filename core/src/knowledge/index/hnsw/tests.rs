use std::collections::HashSet;
use std::sync::Arc;

use super::*;
use crate::knowledge::index::ExactIndex;
use crate::knowledge::index::testdata::clustered;

fn keys(hits: &[Hit]) -> Vec<u64> {
    hits.iter().map(|hit| hit.key).collect()
}

fn filled(vectors: &[Vec<f32>], index: &dyn VectorIndex) {
    for (key, vector) in vectors.iter().enumerate() {
        index.add(key as u64, vector).unwrap();
    }
}

#[test]
fn add_search_replace_remove() {
    let index = HnswIndex::new(3).unwrap();
    index.add(7, &[1.0, 0.0, 0.0]).unwrap();
    index.add(8, &[0.0, 2.0, 0.0]).unwrap();
    index.add(9, &[0.0, 0.0, 3.0]).unwrap();
    let hits = index.search(&[0.9, 0.1, 0.0], 2).unwrap();
    assert_eq!(keys(&hits), vec![7, 8]);
    assert!(hits[0].similarity > 0.95 && hits[0].similarity <= 1.01);

    index.add(7, &[0.0, 0.0, -1.0]).unwrap();
    assert_eq!(index.len(), 3);
    assert_eq!(keys(&index.search(&[0.0, 0.0, -1.0], 1).unwrap()), vec![7]);
    assert_ne!(keys(&index.search(&[1.0, 0.0, 0.0], 1).unwrap()), vec![7]);

    index.remove(8).unwrap();
    index.remove(8).unwrap();
    index.remove(12345).unwrap();
    assert_eq!(index.len(), 2);
    let all = keys(&index.search(&[0.0, 1.0, 0.0], 10).unwrap());
    assert_eq!(all.len(), 2);
    assert!(!all.contains(&8));
    assert!(index.search(&[0.0, 1.0, 0.0], 0).unwrap().is_empty());
}

#[test]
fn wrong_dimensions_and_no_direction_are_refused() {
    assert!(HnswIndex::new(0).is_err());
    let index = HnswIndex::new(4).unwrap();
    assert!(matches!(
        index.add(1, &[1.0; 3]),
        Err(IndexError::Dimensions {
            expected: 4,
            got: 3
        })
    ));
    assert!(matches!(
        index.add(1, &[1.0, f32::NAN, 0.0, 0.0]),
        Err(IndexError::NotFinite)
    ));
    assert!(matches!(
        index.add(1, &[0.0; 4]),
        Err(IndexError::NotFinite)
    ));
    assert!(matches!(
        index.search(&[1.0; 5], 1),
        Err(IndexError::Dimensions {
            expected: 4,
            got: 5
        })
    ));
    assert!(matches!(
        index.search(&[f32::INFINITY, 0.0, 0.0, 0.0], 1),
        Err(IndexError::NotFinite)
    ));
    assert!(index.is_empty());
}

#[test]
fn recall_at_10_against_exact_search() {
    let vectors = clustered(5_000, 64, 50, 17);
    let queries = clustered(200, 64, 50, 17 + 1);
    let approximate = HnswIndex::new(64).unwrap();
    let exact = ExactIndex::new(64);
    filled(&vectors, &approximate);
    filled(&vectors, &exact);
    assert_eq!(approximate.len(), 5_000);
    let mut found = 0;
    for query in &queries {
        let truth: HashSet<u64> = keys(&exact.search(query, 10).unwrap())
            .into_iter()
            .collect();
        let hits = approximate.search(query, 10).unwrap();
        found += hits.iter().filter(|hit| truth.contains(&hit.key)).count();
    }
    let recall = found as f64 / (queries.len() * 10) as f64;
    assert!(recall >= 0.95, "recall@10 {recall:.3}");
}

#[test]
fn save_and_open_give_the_same_hits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.vectors");
    let vectors = clustered(2_000, 32, 20, 3);
    let index = HnswIndex::new(32).unwrap();
    filled(&vectors, &index);
    index.remove(5).unwrap();
    index.save(&path).unwrap();

    let opened = HnswIndex::open(&path, 32).unwrap();
    assert_eq!(opened.len(), index.len());
    for query in clustered(50, 32, 20, 4) {
        assert_eq!(
            keys(&opened.search(&query, 10).unwrap()),
            keys(&index.search(&query, 10).unwrap())
        );
    }
    // It goes on growing after it was opened.
    opened.add(5, &vectors[5]).unwrap();
    opened.add(100_000, &vectors[6]).unwrap();
    assert_eq!(opened.len(), 2_001);
    assert!(matches!(
        HnswIndex::open(&path, 31),
        Err(IndexError::Dimensions { .. })
    ));
}

#[test]
fn a_damaged_file_is_refused_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.vectors");
    let index = HnswIndex::new(16).unwrap();
    filled(&clustered(500, 16, 5, 9), &index);
    index.save(&path).unwrap();
    let whole = std::fs::read(&path).unwrap();
    let mut rng = fastrand::Rng::with_seed(5);
    // Header, graph, vectors and trailer: bytes flipped all over the file.
    for _ in 0..200 {
        let mut bytes = whole.clone();
        let at = rng.usize(..bytes.len());
        bytes[at] ^= 1 << rng.u8(..8);
        std::fs::write(&path, &bytes).unwrap();
        assert!(HnswIndex::open(&path, 16).is_err(), "byte {at} flipped");
    }
    for cut in [0, 10, whole.len() / 2, whole.len() - 1] {
        std::fs::write(&path, &whole[..cut]).unwrap();
        assert!(matches!(
            HnswIndex::open(&path, 16),
            Err(IndexError::Damaged { .. })
        ));
    }
    std::fs::write(&path, b"not an index at all").unwrap();
    assert!(matches!(
        HnswIndex::open(&path, 16),
        Err(IndexError::Damaged { .. })
    ));
    assert!(matches!(
        HnswIndex::open(&dir.path().join("missing"), 16),
        Err(IndexError::Io(_))
    ));
}

#[test]
fn a_whole_file_that_is_not_an_index_is_refused() {
    // The trailer and checksum are right; what they guard is not the engine's.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.vectors");
    for payload in [&b""[..], b"usearch", &[0xff; 4096]] {
        crate::knowledge::index::file::save(&path, 16, payload).unwrap();
        assert!(matches!(
            HnswIndex::open(&path, 16),
            Err(IndexError::Damaged { .. })
        ));
    }
    // An engine file of other dimensions under a trailer that claims these.
    let other = HnswIndex::new(8).unwrap();
    other.add(1, &[1.0; 8]).unwrap();
    other.save(&path).unwrap();
    let payload = crate::knowledge::index::file::read(&path, 8).unwrap();
    crate::knowledge::index::file::save(&path, 16, &payload).unwrap();
    assert!(matches!(
        HnswIndex::open(&path, 16),
        Err(IndexError::Damaged { .. })
    ));
}

#[test]
fn i8_uses_the_whole_range_and_rounds() {
    assert_eq!(to_i8(&[0.1, -0.2, 0.0501]), vec![64, -127, 32]);
    assert_eq!(to_i8(&[0.0, 0.0]), vec![0, 0]);
}

#[test]
fn searches_run_while_many_threads_add() {
    // More threads than the engine has contexts, and past the first reserved capacity.
    let index = Arc::new(HnswIndex::new(8).unwrap());
    let vectors = Arc::new(clustered(4_000, 8, 10, 11));
    let threads: Vec<_> = (0..12)
        .map(|t| {
            let (index, vectors) = (index.clone(), vectors.clone());
            std::thread::spawn(move || {
                for (key, vector) in vectors.iter().enumerate().skip(t).step_by(12) {
                    index.add(key as u64, vector).unwrap();
                    if key % 7 == 0 {
                        index.search(vector, 5).unwrap();
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(index.len(), 4_000);
    let hits = index.search(&vectors[123], 1).unwrap();
    assert!(hits[0].similarity > 0.99, "{hits:?}");
}
