#include "krylov_update.hpp"

namespace bigrad {
namespace {

constexpr int64_t kLanes = 8;  // independent partial sums: the reductions pipeline and vectorise

template <typename T>
T dot(const T* a, const T* b, int64_t n) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) acc[l] += a[i + l] * b[i + l];
  }
  T s = 0;
  for (; i < n; ++i) s += a[i] * b[i];
  for (int64_t l = 0; l < kLanes; ++l) s += acc[l];
  return s;
}

// x += alpha p; r -= alpha Ap; returns r.r (one pass)
template <typename T>
T update_xr(T* x, T* r, const T* p, const T* ap, T alpha, int64_t n) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) {
      x[i + l] += alpha * p[i + l];
      const T ri = r[i + l] - alpha * ap[i + l];
      r[i + l] = ri;
      acc[l] += ri * ri;
    }
  }
  T s = 0;
  for (; i < n; ++i) {
    x[i] += alpha * p[i];
    const T ri = r[i] - alpha * ap[i];
    r[i] = ri;
    s += ri * ri;
  }
  for (int64_t l = 0; l < kLanes; ++l) s += acc[l];
  return s;
}

}  // namespace

template <typename T>
int64_t cg_step(int64_t B, int64_t n, T* x, T* r, T* p, const T* Ap, int64_t ld_ap, T* rz, const T* thr2,
                int64_t* iters, const int64_t* budget, uint8_t* active, uint8_t* broke) {
  int64_t still = 0;
  for (int64_t b = 0; b < B; ++b) {
    if (!active[b]) continue;
    T* pb = p + b * n;
    T* rb = r + b * n;
    const T* ab = Ap + b * ld_ap;
    const T pap = dot(pb, ab, n);
    if (!(pap > 0)) {  // indefinite operator or nan
      broke[b] = 1;
      active[b] = 0;
      continue;
    }
    const T rr = update_xr(x + b * n, rb, pb, ab, rz[b] / pap, n);
    iters[b] += 1;
    if (!(rr > thr2[b]) || iters[b] >= budget[b]) {
      active[b] = 0;
      continue;
    }
    const T beta = rr / rz[b];
    for (int64_t i = 0; i < n; ++i) pb[i] = rb[i] + beta * pb[i];
    rz[b] = rr;
    ++still;
  }
  return still;
}

template int64_t cg_step<float>(int64_t, int64_t, float*, float*, float*, const float*, int64_t, float*, const float*,
                                int64_t*, const int64_t*, uint8_t*, uint8_t*);
template int64_t cg_step<double>(int64_t, int64_t, double*, double*, double*, const double*, int64_t, double*,
                                 const double*, int64_t*, const int64_t*, uint8_t*, uint8_t*);

}  // namespace bigrad
