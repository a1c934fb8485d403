//! Seeded clustered vectors for the index tests: points scattered around random centres,
//! the shape real embeddings have (topics), where a graph index is easiest to get wrong.

/// `n` vectors of `dims` values around `clusters` centres, the same for the same seed.
pub(super) fn clustered(n: usize, dims: usize, clusters: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let centres: Vec<Vec<f32>> = (0..clusters)
        .map(|_| (0..dims).map(|_| gaussian(&mut rng)).collect())
        .collect();
    (0..n)
        .map(|_| {
            let centre = &centres[rng.usize(..clusters)];
            centre
                .iter()
                .map(|c| c + 0.6 * gaussian(&mut rng))
                .collect()
        })
        .collect()
}

/// A standard normal value (Box-Muller).
fn gaussian(rng: &mut fastrand::Rng) -> f32 {
    let u = rng.f32().max(f32::MIN_POSITIVE);
    let v = rng.f32();
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
}
