// A peer's float Gibbs on the benchmark model: ferrotherm's chromatic Sampler (float64 fields,
// exact logistic, its own PCG stream) on the 70 x 70 G12 torus with J ~ N(0, 1/12), h ~ N(0, 0.01),
// beta = 1, single thread. Built by benchmarks/kernels.ts against a ferrotherm checkout
// (FERROTHERM_DIR); prints one JSON line like the C references.
use ferrotherm::graph::GraphBuilder;
use ferrotherm::gibbs::Sampler;
use std::time::Instant;

const OFFSETS: [(i64, i64); 3] = [(0, 1), (4, 1), (9, 10)];

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e3779b97f4a7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

fn gauss(x: &mut u64) -> f64 {
    let u = ((splitmix(x) >> 11) as f64 + 0.5) / 9007199254740992.0;
    let v = ((splitmix(x) >> 11) as f64 + 0.5) / 9007199254740992.0;
    (-2.0 * u.ln()).sqrt() * (6.283185307179586 * v).cos()
}

fn main() {
    let sweeps: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let (w, h) = (70i64, 70i64);
    let n = (w * h) as usize;
    let mut seed = 7u64;
    let mut b = GraphBuilder::new(n);
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) as usize;
            b.bias(i, 0.1 * gauss(&mut seed));
            // each undirected edge once: the offset and its rotation by 90 degrees (the other two are the far ends)
            for &(a, c) in &OFFSETS {
                for (dx, dy) in [(a, c), (-c, a)] {
                    let j = (((y + dy).rem_euclid(h)) * w + (x + dx).rem_euclid(w)) as usize;
                    b.couple(i, j, (1.0f64 / 12.0).sqrt() * gauss(&mut seed));
                }
            }
        }
    }
    let g = b.build();
    let mut smp = Sampler::new(&g, 1.0, 0xBE7C);
    smp.sweeps(sweeps / 10 + 1, None);
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        smp.sweeps(sweeps, None);
        runs.push((sweeps * n) as f64 / (t0.elapsed().as_secs_f64() * 1e9));
    }
    let best = runs.iter().cloned().fold(0.0f64, f64::max);
    println!("{{\"variant\":\"ferrotherm-gibbs\",\"n\":{},\"sweeps\":{},\"classes\":{},\"updates_per_ns\":{:.5},\"runs\":[{:.5},{:.5},{:.5}]}}", n, sweeps, g.classes.len(), best, runs[0], runs[1], runs[2]);
}
