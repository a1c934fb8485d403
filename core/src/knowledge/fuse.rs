//! Reciprocal rank fusion: one ranking from several (keyword search and vector search),
//! using only each key's rank in each list, so scores on different scales (BM25, cosine)
//! never have to be made comparable. Cormack, Clarke and Büttcher (SIGIR 2009).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The constant of the original paper: it damps how much the very first ranks dominate.
pub const RRF_K: f32 = 60.0;

/// Every key of every list once, best first, scored `Σ 1 / (k + rank)` over the lists that
/// hold it (rank 1 is a list's first). A key repeated within one list counts at its first
/// place only.
///
/// The score of a key does not depend on the order of `lists` (its terms are added
/// smallest rank first). Equal scores are ordered by the best rank the key had in any
/// list, then by where it was first seen (list by list, in order).
pub fn reciprocal_rank_fusion<K: Eq + Hash + Clone>(lists: &[Vec<K>], k: f32) -> Vec<(K, f32)> {
    struct Fused {
        seen: usize,
        ranks: Vec<usize>,
    }
    let mut fused: HashMap<&K, Fused> = HashMap::new();
    for list in lists {
        let mut in_this_list = HashSet::new();
        for (rank, key) in list.iter().enumerate() {
            if !in_this_list.insert(key) {
                continue;
            }
            let seen = fused.len();
            fused
                .entry(key)
                .or_insert_with(|| Fused {
                    seen,
                    ranks: Vec::new(),
                })
                .ranks
                .push(rank + 1);
        }
    }
    let mut scored: Vec<(K, f32, usize, usize)> = fused
        .into_iter()
        .map(|(key, mut fused)| {
            fused.ranks.sort_unstable();
            let score = fused
                .ranks
                .iter()
                .map(|&rank| 1.0 / (k + rank as f32))
                .sum();
            (key.clone(), score, fused.ranks[0], fused.seen)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    scored
        .into_iter()
        .map(|(key, score, _, _)| (key, score))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use proptest::prelude::*;

    use super::*;

    fn lists() -> impl Strategy<Value = Vec<Vec<u8>>> {
        // Small keys so lists share many of them; repeats within a list happen too.
        prop::collection::vec(prop::collection::vec(0u8..40, 0..30), 0..5)
    }

    #[test]
    fn a_worked_example() {
        let keyword = vec!["a", "b", "c"];
        let vector = vec!["c", "a", "d"];
        let fused = reciprocal_rank_fusion(&[keyword, vector], RRF_K);
        let order: Vec<&str> = fused.iter().map(|(key, _)| *key).collect();
        // a: 1/61 + 1/62; c: 1/63 + 1/61; b: 1/62; d: 1/63.
        assert_eq!(order, vec!["a", "c", "b", "d"]);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 62.0)).abs() < 1e-7);
        assert!(reciprocal_rank_fusion::<u8>(&[], RRF_K).is_empty());
    }

    #[test]
    fn equal_scores_keep_the_first_seen_order() {
        let fused = reciprocal_rank_fusion(&[vec![1, 2], vec![3, 4]], RRF_K);
        let order: Vec<i32> = fused.iter().map(|(key, _)| *key).collect();
        assert_eq!(order, vec![1, 3, 2, 4]);
    }

    proptest! {
        #[test]
        fn every_key_appears_once(lists in lists()) {
            let fused = reciprocal_rank_fusion(&lists, RRF_K);
            let out: Vec<u8> = fused.iter().map(|(key, _)| *key).collect();
            let unique: HashSet<u8> = out.iter().copied().collect();
            let input: HashSet<u8> = lists.iter().flatten().copied().collect();
            prop_assert_eq!(unique.len(), out.len());
            prop_assert_eq!(unique, input);
            prop_assert!(fused.windows(2).all(|pair| pair[0].1 >= pair[1].1));
        }

        #[test]
        fn a_key_first_in_every_list_ranks_first(mut lists in lists(), top in 100u8..110) {
            prop_assume!(!lists.is_empty());
            for list in &mut lists {
                list.insert(0, top);
            }
            let fused = reciprocal_rank_fusion(&lists, RRF_K);
            prop_assert_eq!(fused[0].0, top);
            prop_assert!(fused.iter().skip(1).all(|(_, score)| *score < fused[0].1));
        }

        #[test]
        fn scores_do_not_depend_on_the_order_of_the_lists(lists in lists(), turn in 0usize..5) {
            let mut turned = lists.clone();
            turned.reverse();
            let len = turned.len().max(1);
            turned.rotate_left(turn % len);
            let scores = |lists: &[Vec<u8>]| -> HashMap<u8, u32> {
                reciprocal_rank_fusion(lists, RRF_K)
                    .into_iter()
                    .map(|(key, score)| (key, score.to_bits()))
                    .collect()
            };
            prop_assert_eq!(scores(&lists), scores(&turned));
        }
    }
}
