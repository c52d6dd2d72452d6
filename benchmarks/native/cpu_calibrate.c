/*
 * cpu_calibrate: what the operations thermosim's `cpu` platform model prices
 * cost on one core of this machine, in the best native code we can write for
 * them (AVX2, gcc -O3 -march=native). The model (circuits/platforms/cpu.yaml)
 * holds the figures this program measured, with the date and the machine;
 * `npm run bench -- cpu-calibration` runs it again and compares.
 *
 * Cases (each timed by the process's CPU time, best of REPS runs after a
 * warm-up, so that time spent waiting for a core on a shared machine is not
 * counted):
 *   pbit D   one p-bit update with fan-in D, integer arithmetic as the p-bit
 *            chips do it: int8 weights times +-1 states summed into a 16-bit
 *            field, clamped to the activation table's range, the table's
 *            32-bit threshold compared with a 32-bit xoshiro128** word. The
 *            layout is the best case for a CPU: every unit's neighbours are
 *            one contiguous layer (as in an RBM), weights stored by neighbour
 *            so that 32 units are updated per vector step with no gathers.
 *   flop     float64 multiply-adds of a dense matrix-vector product with FMA
 *            (2 flops each), the arithmetic of the continuous samplers.
 *   normal   standard normals from a 128-layer ziggurat over xoshiro128**.
 *   exp      libm exp over an array (the accept tests and logistic of float samplers).
 *
 * Output: one JSON line per case (benchmarks/cpu-calibration.ts fits
 * ns_per_update = fixed + per_coupling x D over the p-bit cases).
 *
 * Written for thermosim; it shares no code with the C references of
 * ../shared/tools/ref-c (which measure thermosim's own G12 kernel).
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* xoshiro128**, 8 independent lanes stepped together (AVX2). */
typedef struct { __m256i s0, s1, s2, s3; } X8;

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void x8_seed(X8 *g, uint64_t seed) {
  uint32_t s[4][8];
  for (int l = 0; l < 8; l++) {
    uint64_t a = splitmix(&seed), b = splitmix(&seed);
    s[0][l] = (uint32_t)a; s[1][l] = (uint32_t)(a >> 32); s[2][l] = (uint32_t)b; s[3][l] = (uint32_t)(b >> 32) | 1u;
  }
  g->s0 = _mm256_loadu_si256((const __m256i *)s[0]);
  g->s1 = _mm256_loadu_si256((const __m256i *)s[1]);
  g->s2 = _mm256_loadu_si256((const __m256i *)s[2]);
  g->s3 = _mm256_loadu_si256((const __m256i *)s[3]);
}

static inline __m256i rotl32(__m256i x, int k) { return _mm256_or_si256(_mm256_slli_epi32(x, k), _mm256_srli_epi32(x, 32 - k)); }

static inline __m256i x8_next(X8 *g) {
  /* result = rotl(s1 * 5, 7) * 9 */
  __m256i m5 = _mm256_add_epi32(_mm256_slli_epi32(g->s1, 2), g->s1);
  __m256i r = rotl32(m5, 7);
  r = _mm256_add_epi32(_mm256_slli_epi32(r, 3), r);
  __m256i t = _mm256_slli_epi32(g->s1, 9);
  g->s2 = _mm256_xor_si256(g->s2, g->s0);
  g->s3 = _mm256_xor_si256(g->s3, g->s1);
  g->s1 = _mm256_xor_si256(g->s1, g->s2);
  g->s0 = _mm256_xor_si256(g->s0, g->s3);
  g->s2 = _mm256_xor_si256(g->s2, t);
  g->s3 = rotl32(g->s3, 11);
  return r;
}

/* Scalar xoshiro128** for the ziggurat. */
typedef struct { uint32_t s[4]; } X1;
static inline uint32_t rotl1(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static inline uint32_t x1_next(X1 *g) {
  uint32_t *s = g->s;
  uint32_t r = rotl1(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl1(s[3], 11);
  return r;
}

#define CODE_MAX 2047

/* pm[mask]: the 8 states (+1 where the mask bit is set, else -1) as bytes. */
static uint64_t pm[256];
static void pm_init(void) {
  for (int m = 0; m < 256; m++) {
    int8_t b[8];
    for (int k = 0; k < 8; k++) b[k] = (m >> k) & 1 ? 1 : -1;
    memcpy(&pm[m], b, 8);
  }
}

/* One sweep of m units (multiple of 32) with fan-in d; returns the number of +1 states (kept live). */
static long pbit_sweep(int m, int d, const int8_t *w, const int8_t *y, const int16_t *h, const uint32_t *thr, int8_t *x, X8 *g) {
  long up = 0;
  int16_t codes[32];
  const __m256i lo = _mm256_set1_epi16(-CODE_MAX), hi = _mm256_set1_epi16(CODE_MAX);
  for (int i0 = 0; i0 < m; i0 += 32) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(h + i0));
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(h + i0 + 16));
    for (int k = 0; k < d; k++) {
      __m256i wk = _mm256_loadu_si256((const __m256i *)(w + (size_t)k * m + i0));
      __m256i s = _mm256_sign_epi8(wk, _mm256_set1_epi8(y[k]));
      a0 = _mm256_add_epi16(a0, _mm256_cvtepi8_epi16(_mm256_castsi256_si128(s)));
      a1 = _mm256_add_epi16(a1, _mm256_cvtepi8_epi16(_mm256_extracti128_si256(s, 1)));
    }
    a0 = _mm256_min_epi16(_mm256_max_epi16(a0, lo), hi);
    a1 = _mm256_min_epi16(_mm256_max_epi16(a1, lo), hi);
    _mm256_storeu_si256((__m256i *)codes, a0);
    _mm256_storeu_si256((__m256i *)(codes + 16), a1);
    /* Decisions without branches (a coin flip mispredicts half the time): thresholds gathered
       by code, an unsigned compare of the random words, the 8-bit masks turned into +-1 bytes. */
    const __m256i flip = _mm256_set1_epi32((int)0x80000000u);
    for (int q = 0; q < 4; q++) {
      __m256i idx = _mm256_add_epi32(_mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(codes + 8 * q))), _mm256_set1_epi32(CODE_MAX));
      __m256i t = _mm256_i32gather_epi32((const int *)thr, idx, 4);
      __m256i r = x8_next(g);
      __m256i lt = _mm256_cmpgt_epi32(_mm256_xor_si256(t, flip), _mm256_xor_si256(r, flip));
      int mask = _mm256_movemask_ps(_mm256_castsi256_ps(lt));
      memcpy(x + i0 + 8 * q, &pm[mask], 8);
      up += __builtin_popcount(mask);
    }
  }
  return up;
}

static void case_pbit(int d, int reps) {
  int m = 65536 / d;
  if (m < 256) m = 256;
  m = (m + 31) / 32 * 32;
  int8_t *w = aligned_alloc(32, (size_t)d * m + 32);
  int8_t *y = malloc(d), *x = aligned_alloc(32, m + 32);
  int16_t *h = aligned_alloc(32, 2 * (size_t)m + 64);
  uint32_t *thr = malloc(sizeof(uint32_t) * (2 * CODE_MAX + 1));
  X1 r = {{1u, 2u, 3u, 4u}};
  for (size_t k = 0; k < (size_t)d * m; k++) w[k] = (int8_t)((x1_next(&r) % 31) - 15);
  for (int k = 0; k < d; k++) y[k] = (x1_next(&r) & 1) ? 1 : -1;
  for (int i = 0; i < m; i++) h[i] = (int16_t)((x1_next(&r) % 9) - 4);
  for (int c = -CODE_MAX; c <= CODE_MAX; c++) {
    double p = 1.0 / (1.0 + exp(-2.0 * c / 16.0));
    thr[c + CODE_MAX] = p >= 1.0 ? 0xffffffffu : (uint32_t)(p * 4294967296.0);
  }
  X8 g;
  x8_seed(&g, 42);
  /* About 2e7 updates per timed run. */
  int sweeps = (int)(2e7 / m) + 1;
  long keep = 0;
  for (int s = 0; s < sweeps / 10 + 1; s++) keep += pbit_sweep(m, d, w, y, h, thr, x, &g);
  double best = 1e300;
  for (int rep = 0; rep < reps; rep++) {
    double t0 = cpu_seconds();
    for (int s = 0; s < sweeps; s++) keep += pbit_sweep(m, d, w, y, h, thr, x, &g);
    double t = cpu_seconds() - t0;
    if (t < best) best = t;
  }
  double updates = (double)sweeps * m;
  printf("{\"case\":\"pbit\",\"degree\":%d,\"units\":%d,\"updates\":%.0f,\"ns_per_update\":%.5g,\"live\":%ld}\n", d, m, updates, 1e9 * best / updates, keep % 7);
  free(w); free(y); free(x); free(h); free(thr);
}

static void case_flop(int reps) {
  const int n = 256;
  double *a = aligned_alloc(32, sizeof(double) * n * n), *xv = aligned_alloc(32, sizeof(double) * n), *yv = aligned_alloc(32, sizeof(double) * n);
  X1 r = {{5u, 6u, 7u, 8u}};
  for (int k = 0; k < n * n; k++) a[k] = (x1_next(&r) >> 8) * (1.0 / 16777216.0) - 0.5;
  for (int k = 0; k < n; k++) xv[k] = (x1_next(&r) >> 8) * (1.0 / 16777216.0);
  int loops = 4000;
  double best = 1e300, sink = 0;
  for (int rep = 0; rep <= reps; rep++) {
    double t0 = cpu_seconds();
    for (int l = 0; l < loops; l++) {
      /* y = A x by columns (axpy form: vectorises without reassociating a sum), then x <- y scaled. */
      memset(yv, 0, sizeof(double) * n);
      for (int j = 0; j < n; j++) {
        const double xj = xv[j], *col = a + (size_t)j * n;
        for (int i = 0; i < n; i++) yv[i] = fma(col[i], xj, yv[i]);
      }
      double s = 1.0 / (1.0 + fabs(yv[0]));
      for (int i = 0; i < n; i++) xv[i] = yv[i] * s;
    }
    double t = cpu_seconds() - t0;
    sink += xv[3];
    if (rep > 0 && t < best) best = t; /* rep 0 is the warm-up */
  }
  double flops = 2.0 * n * n * loops;
  printf("{\"case\":\"flop\",\"n\":%d,\"flops\":%.0f,\"ns_per_flop\":%.5g,\"live\":%d}\n", n, flops, 1e9 * best / flops, sink != 0);
  free(a); free(xv); free(yv);
}

/* Marsaglia and Tsang's ziggurat (128 layers, 32-bit) for the standard normal. */
static uint32_t kn[128];
static double wn[128], fn[128];
static void zig_init(void) {
  const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
  double dn = 3.442619855899, tn = dn, q = vn / exp(-0.5 * dn * dn);
  kn[0] = (uint32_t)((dn / q) * m1);
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1.0;
  fn[127] = exp(-0.5 * dn * dn);
  for (int i = 126; i >= 1; i--) {
    dn = sqrt(-2.0 * log(vn / dn + exp(-0.5 * dn * dn)));
    kn[i + 1] = (uint32_t)((dn / tn) * m1);
    tn = dn;
    fn[i] = exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
}
static inline double uni(X1 *g) { return (x1_next(g) + 0.5) * (1.0 / 4294967296.0); }
static inline double zig_normal(X1 *g) {
  const double r = 3.442619855899;
  int32_t hz = (int32_t)x1_next(g);
  uint32_t iz = hz & 127;
  if ((uint32_t)abs(hz) < kn[iz]) return hz * wn[iz];
  for (;;) {
    double x = hz * wn[iz];
    if (iz == 0) {
      double y;
      do {
        x = -log(uni(g)) / r;
        y = -log(uni(g));
      } while (y + y < x * x);
      return hz > 0 ? r + x : -r - x;
    }
    if (fn[iz] + uni(g) * (fn[iz - 1] - fn[iz]) < exp(-0.5 * x * x)) return x;
    hz = (int32_t)x1_next(g);
    iz = hz & 127;
    if ((uint32_t)abs(hz) < kn[iz]) return hz * wn[iz];
  }
}

static void case_normal(int reps) {
  zig_init();
  X1 g = {{11u, 12u, 13u, 14u}};
  const int count = 20000000;
  double best = 1e300, s1 = 0, s2 = 0;
  for (int rep = 0; rep <= reps; rep++) {
    double t0 = cpu_seconds(), a = 0, b = 0;
    for (int k = 0; k < count; k++) {
      double z = zig_normal(&g);
      a += z;
      b += z * z;
    }
    double t = cpu_seconds() - t0;
    s1 = a / count; s2 = b / count;
    if (rep > 0 && t < best) best = t;
  }
  /* Moments as a check that the generator is a standard normal (mean ~0, variance ~1). */
  printf("{\"case\":\"normal\",\"normals\":%d,\"ns_per_normal\":%.5g,\"mean\":%.5f,\"variance\":%.5f}\n", count, 1e9 * best / count, s1, s2);
}

static void case_exp(int reps) {
  const int n = 4096, loops = 5000;
  double *v = aligned_alloc(32, sizeof(double) * n), *o = aligned_alloc(32, sizeof(double) * n);
  X1 r = {{21u, 22u, 23u, 24u}};
  for (int k = 0; k < n; k++) v[k] = (x1_next(&r) >> 8) * (20.0 / 16777216.0) - 10.0;
  double best = 1e300, sink = 0;
  for (int rep = 0; rep <= reps; rep++) {
    double t0 = cpu_seconds();
    for (int l = 0; l < loops; l++) {
      for (int k = 0; k < n; k++) o[k] = exp(v[k]);
      v[l % n] = o[(l * 7) % n] * 1e-9 - 5.0;
    }
    double t = cpu_seconds() - t0;
    sink += o[5];
    if (rep > 0 && t < best) best = t;
  }
  double count = (double)n * loops;
  printf("{\"case\":\"exp\",\"exps\":%.0f,\"ns_per_exp\":%.5g,\"live\":%d}\n", count, 1e9 * best / count, sink != 0);
  free(v); free(o);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 5;
  pm_init();
  static const int degrees[] = {4, 8, 12, 16, 32, 64, 128, 256};
  for (size_t k = 0; k < sizeof degrees / sizeof degrees[0]; k++) case_pbit(degrees[k], reps);
  case_flop(reps);
  case_normal(reps);
  case_exp(reps);
  return 0;
}
