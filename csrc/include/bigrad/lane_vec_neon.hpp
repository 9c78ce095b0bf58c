// LaneVec on aarch64 with NEON (Advanced SIMD) intrinsics: L lanes as K = L / N
// registers of N lanes (4 floats or 2 doubles per 128-bit register), for the
// lane counts the kernels use. Same operations, in the same order, as the
// generic vector-extension LaneVec of lane_vec.hpp (results are bit-identical
// to the scalar build); the gains are the one-instruction mask reduction
// (vmaxvq) of any() and explicit bit-selects. Included at the end of
// lane_vec.hpp; a no-op unless compiled for aarch64 with NEON on the host.
#pragma once

#if defined(__aarch64__) && defined(__ARM_NEON) && !defined(__CUDACC__)
#include <arm_neon.h>

namespace bigrad {
namespace neon {

#define BIGRAD_NEON_INLINE __attribute__((always_inline)) static inline

// One 128-bit register of T and its comparison mask.
template <typename T>
struct Reg;

template <>
struct Reg<float> {
  using V = float32x4_t;
  using M = uint32x4_t;
  static constexpr int N = 4;
  BIGRAD_NEON_INLINE V load(const float* p) { return vld1q_f32(p); }
  BIGRAD_NEON_INLINE void store(float* p, V v) { vst1q_f32(p, v); }
  BIGRAD_NEON_INLINE V dup(float x) { return vdupq_n_f32(x); }
  BIGRAD_NEON_INLINE V add(V a, V b) { return vaddq_f32(a, b); }
  BIGRAD_NEON_INLINE M lt(V a, V b) { return vcltq_f32(a, b); }
  BIGRAD_NEON_INLINE V select(M m, V a, V b) { return vbslq_f32(m, a, b); }
  BIGRAD_NEON_INLINE M either(M a, M b) { return vorrq_u32(a, b); }
  BIGRAD_NEON_INLINE M none() { return vdupq_n_u32(0); }
  BIGRAD_NEON_INLINE bool any(M m) { return vmaxvq_u32(m) != 0; }
};

template <>
struct Reg<double> {
  using V = float64x2_t;
  using M = uint64x2_t;
  static constexpr int N = 2;
  BIGRAD_NEON_INLINE V load(const double* p) { return vld1q_f64(p); }
  BIGRAD_NEON_INLINE void store(double* p, V v) { vst1q_f64(p, v); }
  BIGRAD_NEON_INLINE V dup(double x) { return vdupq_n_f64(x); }
  BIGRAD_NEON_INLINE V add(V a, V b) { return vaddq_f64(a, b); }
  BIGRAD_NEON_INLINE M lt(V a, V b) { return vcltq_f64(a, b); }
  BIGRAD_NEON_INLINE V select(M m, V a, V b) { return vbslq_f64(m, a, b); }
  BIGRAD_NEON_INLINE M either(M a, M b) { return vorrq_u64(a, b); }
  BIGRAD_NEON_INLINE M none() { return vdupq_n_u64(0); }
  BIGRAD_NEON_INLINE bool any(M m) { return vmaxvq_u32(vreinterpretq_u32_u64(m)) != 0; }
};

// The LaneVec interface (see lane_vec.hpp) for Self = LaneVec<T, L>.
template <typename Self, typename T, int L>
struct LaneVecBase {
  using R = Reg<T>;
  static constexpr int N = R::N;
  static constexpr int K = L / N;
  static_assert(K * N == L, "lanes must be a multiple of the register width");
  struct Mask {
    typename R::M m[K];
  };
  typename R::V v[K];

  BIGRAD_NEON_INLINE Self load(const T* p) {
    Self r;
    for (int k = 0; k < K; ++k) r.v[k] = R::load(p + k * N);
    return r;
  }
  BIGRAD_NEON_INLINE Self fill(T x) {
    Self r;
    for (int k = 0; k < K; ++k) r.v[k] = R::dup(x);
    return r;
  }
  __attribute__((always_inline)) void store(T* p) const {
    for (int k = 0; k < K; ++k) R::store(p + k * N, v[k]);
  }
  __attribute__((always_inline)) friend Self operator+(Self a, Self b) {
    for (int k = 0; k < K; ++k) a.v[k] = R::add(a.v[k], b.v[k]);
    return a;
  }
  __attribute__((always_inline)) friend Mask operator<(Self a, Self b) {
    Mask m;
    for (int k = 0; k < K; ++k) m.m[k] = R::lt(a.v[k], b.v[k]);
    return m;
  }
  BIGRAD_NEON_INLINE Self select(Mask m, Self a, Self b) {
    for (int k = 0; k < K; ++k) a.v[k] = R::select(m.m[k], a.v[k], b.v[k]);
    return a;
  }
  // b < a ? b : a, lane by lane (as the generic LaneVec; not fmin, whose NaN rules differ)
  BIGRAD_NEON_INLINE Self min(Self a, Self b) {
    for (int k = 0; k < K; ++k) a.v[k] = R::select(R::lt(b.v[k], a.v[k]), b.v[k], a.v[k]);
    return a;
  }
  BIGRAD_NEON_INLINE bool any(Mask m) {
    typename R::M acc = m.m[0];
    for (int k = 1; k < K; ++k) acc = R::either(acc, m.m[k]);
    return R::any(acc);
  }
  BIGRAD_NEON_INLINE Mask none() {
    Mask m;
    for (int k = 0; k < K; ++k) m.m[k] = R::none();
    return m;
  }
  BIGRAD_NEON_INLINE Mask either(Mask a, Mask b) {
    for (int k = 0; k < K; ++k) a.m[k] = R::either(a.m[k], b.m[k]);
    return a;
  }
};

#undef BIGRAD_NEON_INLINE

}  // namespace neon

// One, two and four registers of lanes (the counts the grid and TSP kernels use).
template <>
struct LaneVec<float, 4> : neon::LaneVecBase<LaneVec<float, 4>, float, 4> {};
template <>
struct LaneVec<float, 8> : neon::LaneVecBase<LaneVec<float, 8>, float, 8> {};
template <>
struct LaneVec<float, 16> : neon::LaneVecBase<LaneVec<float, 16>, float, 16> {};
template <>
struct LaneVec<double, 2> : neon::LaneVecBase<LaneVec<double, 2>, double, 2> {};
template <>
struct LaneVec<double, 4> : neon::LaneVecBase<LaneVec<double, 4>, double, 4> {};
template <>
struct LaneVec<double, 8> : neon::LaneVecBase<LaneVec<double, 8>, double, 8> {};

}  // namespace bigrad
#endif
