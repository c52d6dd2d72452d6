/*
 * Straightforward float64 chromatic Gibbs in plain C, the yardstick for
 * thermosim's `ideal` chip: the 70 x 70 G12 torus (offsets (0,1), (4,1),
 * (9,10) and their rotations), J ~ N(0, 1/12), h ~ N(0, 0.01), beta = 1;
 * per update the field from the 12 neighbours in double precision, the exact
 * logistic 1 / (1 + exp(-2 x)) with libm's exp, one 32-bit xoshiro128**
 * word, s = +1 iff the word is below round(2^32 p). Two colour classes by
 * checkerboard, each swept in index order. Written for this project (not
 * part of ../shared/tools/ref-c): that folder has no float program.
 *
 *   pbit_float [--sweeps S]     prints {"variant": "c-float-naive", "updates_per_ns": ..}
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W 70
#define H 70
#define N (W * H)
#define DEG 12
static const int DX[DEG] = {0, -1, 0, 1, 4, -1, -4, 1, 9, -10, -9, 10};
static const int DY[DEG] = {1, 0, -1, 0, 1, 4, -1, -4, 10, 9, -10, -9};

static uint32_t s0, s1, s2, s3;
static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static inline uint32_t next(void) {
  const uint32_t r = rotl(s1 * 5, 7) * 9, t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return r;
}
static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static double gauss(void) { /* Box-Muller, for the model only */
  const double u = (next() + 0.5) / 4294967296.0, v = (next() + 0.5) / 4294967296.0;
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int nbr[N][DEG];
static double w[N][DEG], h[N];
static int8_t s[N];
static int members[N];

int main(int argc, char **argv) {
  int sweeps = 1000;
  for (int a = 1; a + 1 < argc; a += 2) if (!strcmp(argv[a], "--sweeps")) sweeps = atoi(argv[a + 1]);
  uint64_t seed = 7;
  const uint64_t a = splitmix(&seed), b = splitmix(&seed);
  s0 = (uint32_t)a; s1 = (uint32_t)(a >> 32); s2 = (uint32_t)b; s3 = (uint32_t)(b >> 32);
  for (int i = 0; i < N; i++) {
    const int x = i % W, y = i / W;
    for (int o = 0; o < DEG; o++) nbr[i][o] = ((y + DY[o] + H) % H) * W + (x + DX[o] + W) % W;
    h[i] = 0.1 * gauss();
  }
  /* one coupling per edge, seen from both ends (slots o and o^2 are opposite) */
  for (int i = 0; i < N; i++)
    for (int o = 0; o < DEG; o++)
      if ((o & 2) == 0) { const double j = sqrt(1.0 / 12) * gauss(); w[i][o] = j; w[nbr[i][o]][o ^ 2] = j; }
  int m = 0;
  for (int c = 0; c < 2; c++) for (int i = 0; i < N; i++) if ((((i % W) + (i / W)) & 1) == c) members[m++] = i;
  for (int i = 0; i < N; i++) s[i] = (next() >> 31) ? 1 : -1;
  double best = 0, runs[3];
  for (int rep = -1; rep < 3; rep++) {
    const int sw = rep < 0 ? sweeps / 10 + 1 : sweeps;
    const double t0 = now();
    for (int t = 0; t < sw; t++) {
      for (int k = 0; k < N; k++) {
        const int i = members[k];
        double f = h[i];
        for (int o = 0; o < DEG; o++) f += w[i][o] * s[nbr[i][o]];
        const double p = 1.0 / (1.0 + exp(-2.0 * f));
        s[i] = next() < (uint64_t)floor(p * 4294967296.0 + 0.5) ? 1 : -1;
      }
    }
    const double r = (double)sw * N / ((now() - t0) * 1e9);
    if (rep >= 0) { runs[rep] = r; if (r > best) best = r; }
  }
  long mag = 0;
  for (int i = 0; i < N; i++) mag += s[i];
  printf("{\"variant\":\"c-float-naive\",\"n\":%d,\"sweeps\":%d,\"updates_per_ns\":%.5f,\"runs\":[%.5f,%.5f,%.5f],\"magnetisation\":%ld}\n", N, sweeps, best, runs[0], runs[1], runs[2], mag);
  return 0;
}
