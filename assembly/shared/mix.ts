// Seed mixing shared by all kernels. splitmix64 turns (seed, stream) pairs into
// well-separated 64-bit states, so chain k's random stream depends only on the
// user seed and k -- never on how many workers run the chains.

@inline export function splitmix64(x: u64): u64 {
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// Hash of (seed, stream, index): a counter-based generator for per-device draws
// (mismatch) that must not depend on the order devices are visited in.
@inline export function hash3(seed: u64, stream: u64, index: u64): u64 {
  return splitmix64(splitmix64(seed ^ splitmix64(stream + 0x632be59bd9b4e019)) + index);
}

// Uniform in (0, 1) from the top 53 bits; never exactly 0 so log() is safe.
@inline export function unitOpen(x: u64): f64 {
  return (f64(x >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

// One standard normal from two 64-bit hashes (Box-Muller, cosine branch).
export function normalFrom(a: u64, b: u64): f64 {
  const u1 = unitOpen(a);
  const u2 = unitOpen(b);
  return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(6.283185307179586 * u2);
}
