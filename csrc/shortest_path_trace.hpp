// Path read-back for the lanes of a group (CPU): grid_trace's rule on the
// labels of each instance laid out by rows (stride 1), where the eight moves
// into a cell are tested with three short vector loads instead of eight
// scalar ones, and several lanes are traced at once (one lane's trace is a
// chain of dependent loads). The path is the same as grid_trace's: the first
// 8-direction from a neighbour u with dist[u] < dist[c] and dist[u] + w[c] ==
// dist[c], in the same arithmetic.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "bigrad/shortest_path.hpp"

namespace bigrad {

// Extra values after each instance's (H+2)*(W+2) labels: the vector loads of
// the row below the target read one value past them (unused).
constexpr int64_t kTracePad = 4;

// The same, one move at a time (any CPU).
template <typename T>
inline unsigned grid_trace_fits_scalar(const T* dist, int64_t c, int64_t P, T wc) {
  static const int64_t di[8] = {-1, -1, -1, 0, 0, 1, 1, 1}, dj[8] = {-1, 0, 1, -1, 1, -1, 0, 1};
  const T d = dist[c];
  unsigned fits = 0;
  for (int k8 = 0; k8 < 8; ++k8) {
    const T du = dist[c - di[k8] * P - dj[k8]];
    fits |= unsigned((du < d) & (du + wc == d)) << k8;
  }
  return fits;
}

// Bits of the moves that fit into padded cell c of labels `dist` (stride 1,
// row stride P) with weight wc: bit k8 for 8-direction k8. The cell above-left
// enters by 8-direction 7 (step (1, 1)), above by 6, above-right by 5, left
// by 4, right by 3, below-left by 2, below by 1, below-right by 0.
inline unsigned grid_trace_fits(const float* dist, int64_t c, int64_t P, float wc) {
#if defined(__SSE2__)
  const __m128 d = _mm_set1_ps(dist[c]), w = _mm_set1_ps(wc);
  const auto fit = [&](const float* p) {  // bit 0: cell j - 1, bit 1: j, bit 2: j + 1 (bit 3: j + 2, unused)
    const __m128 u = _mm_loadu_ps(p);
    return unsigned(_mm_movemask_ps(_mm_and_ps(_mm_cmplt_ps(u, d), _mm_cmpeq_ps(_mm_add_ps(u, w), d))));
  };
  // the bits of cells j - 1, j, j + 1 reversed (j + 1 first), by table
  static constexpr unsigned char kReverse[16] = {0, 4, 2, 6, 1, 5, 3, 7, 0, 4, 2, 6, 1, 5, 3, 7};
  const unsigned same = fit(dist + c - 1);
  return unsigned(kReverse[fit(dist + c - P - 1)]) << 5 | (same & 1u) << 4 | (same & 4u) << 1 |
         kReverse[fit(dist + c + P - 1)];
#else
  return grid_trace_fits_scalar(dist, c, P, wc);
#endif
}

inline unsigned grid_trace_fits(const double* dist, int64_t c, int64_t P, double wc) {
#if defined(__AVX__)
  const __m256d d = _mm256_set1_pd(dist[c]), w = _mm256_set1_pd(wc);
  const auto fit = [&](const double* p) {  // bit 0: cell j - 1, bit 1: j, bit 2: j + 1
    const __m256d u = _mm256_loadu_pd(p);
    const __m256d f = _mm256_and_pd(_mm256_cmp_pd(u, d, _CMP_LT_OQ), _mm256_cmp_pd(_mm256_add_pd(u, w), d, _CMP_EQ_OQ));
    return unsigned(_mm256_movemask_pd(f));
  };
  const unsigned above = fit(dist + c - P - 1), same = fit(dist + c - 1), below = fit(dist + c + P - 1);
  return (above & 1u) << 7 | (above & 2u) << 5 | (above & 4u) << 3 | (same & 1u) << 4 | (same & 4u) << 1 |
         (below & 1u) << 2 | (below & 2u) | (below & 4u) >> 2;
#elif defined(__SSE2__)
  const __m128d d = _mm_set1_pd(dist[c]), w = _mm_set1_pd(wc);
  const auto fit = [&](const double* p) {  // bit 0: cell j - 1, bit 1: j, bit 2: j + 1
    const __m128d lo = _mm_loadu_pd(p), hi = _mm_loadu_pd(p + 2);
    const unsigned m_lo = unsigned(_mm_movemask_pd(_mm_and_pd(_mm_cmplt_pd(lo, d), _mm_cmpeq_pd(_mm_add_pd(lo, w), d))));
    const unsigned m_hi = unsigned(_mm_movemask_pd(_mm_and_pd(_mm_cmplt_pd(hi, d), _mm_cmpeq_pd(_mm_add_pd(hi, w), d))));
    return m_lo | (m_hi & 1u) << 2;
  };
  const unsigned above = fit(dist + c - P - 1), same = fit(dist + c - 1), below = fit(dist + c + P - 1);
  return (above & 1u) << 7 | (above & 2u) << 5 | (above & 4u) << 3 | (same & 1u) << 4 | (same & 4u) << 1 |
         (below & 1u) << 2 | (below & 2u) | (below & 4u) >> 2;
#else
  return grid_trace_fits_scalar(dist, c, P, wc);
#endif
}

// Paths of lanes[0..count) (count <= Q): labels of lane l at dist + l *
// stride (row layout), weights at w[cell * L + l]. Writes mask[q] (and
// edges[q] unless null), zero on entry; ok[q] = false where a plateau stops
// the trace (then mask[q]/edges[q] are partly written).
template <typename T, int Q>
void grid_trace_rows(const T* w, int L, const T* dist, int64_t stride, const int* lanes, int count, int H, int W,
                     int neighbourhood, T* const* mask, T* const* edges, bool* ok) {
  const GridMoves moves(W, neighbourhood);
  const int64_t P = W + 2, source = P + 1;
  int64_t step_w[8], step_e[8];  // per 8-direction: the step back in w's cells, the edge slot
  for (int k8 = 0; k8 < 8; ++k8) {
    int di, dj;
    grid_direction8(k8, di, dj);
    step_w[k8] = int64_t(di) * W + dj;
    step_e[k8] = grid_direction_index(neighbourhood, k8);
  }
  const T* d[Q];
  const T* wq[Q];
  int64_t c[Q], cw[Q];
  bool live[Q];
  int left = count;
  for (int q = 0; q < Q; ++q) {
    c[q] = int64_t(H) * P + W;
    cw[q] = int64_t(H) * W - 1;
    live[q] = q < count;
    d[q] = dist + (q < count ? lanes[q] : 0) * stride;
    wq[q] = w + (q < count ? lanes[q] : 0);
  }
  while (left > 0) {
    for (int q = 0; q < Q; ++q) {
      if (!live[q]) continue;
      mask[q][cw[q]] = T(1);
      const unsigned fits = c[q] == source ? 0u : grid_trace_fits(d[q], c[q], P, wq[q][cw[q] * L]) & moves.allowed;
      if (fits == 0) {
        live[q] = false;
        ok[q] = c[q] == source;
        --left;
        continue;
      }
      const int k8 = grid_lowest_bit(fits);
      c[q] += moves.back[k8];
      cw[q] -= step_w[k8];
      if (edges[q] != nullptr) edges[q][cw[q] * neighbourhood + step_e[k8]] = T(1);
    }
  }
}

}  // namespace bigrad
