// LaneVec<T, L>: L values of T processed together. L = 1 is a plain scalar
// (CUDA, one instance per thread); L > 1 uses GCC/Clang vector extensions on
// the host so the grid kernels run L instances per SIMD instruction, in one
// register or several.
#pragma once

#include <cstring>

#include "bigrad/common.hpp"

namespace bigrad {

template <typename T, int L>
struct LaneVec;

template <typename T>
struct LaneVec<T, 1> {
  T v;
  using Mask = bool;
  BIGRAD_HD static LaneVec load(const T* p) { return {*p}; }
  BIGRAD_HD static LaneVec fill(T x) { return {x}; }
  BIGRAD_HD void store(T* p) const { *p = v; }
  BIGRAD_HD friend LaneVec operator+(LaneVec a, LaneVec b) { return {a.v + b.v}; }
  BIGRAD_HD friend Mask operator<(LaneVec a, LaneVec b) { return a.v < b.v; }
  BIGRAD_HD static LaneVec select(Mask m, LaneVec a, LaneVec b) { return {m ? a.v : b.v}; }
  BIGRAD_HD static LaneVec min(LaneVec a, LaneVec b) { return {b.v < a.v ? b.v : a.v}; }
  BIGRAD_HD static bool any(Mask m) { return m; }
  BIGRAD_HD static Mask none() { return false; }
  BIGRAD_HD static Mask either(Mask a, Mask b) { return a || b; }
};

#if !defined(__CUDACC__) && (defined(__GNUC__) || defined(__clang__))
// Widest vector register of the instruction set this file is compiled for.
#if defined(__AVX512F__)
constexpr int kNativeVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kNativeVectorBytes = 32;
#else
constexpr int kNativeVectorBytes = 16;
#endif

// L lanes as K = L / N registers of N lanes. K > 1 runs K independent
// dependency chains side by side (the grid's in-row scans are a serial
// add-min chain: more chains hide its latency).
template <typename T, int L>
struct LaneVec {
  static constexpr int N = L * int(sizeof(T)) < kNativeVectorBytes ? L : kNativeVectorBytes / int(sizeof(T));
  static constexpr int K = L / N;
  static_assert(K * N == L, "lanes must be a multiple of the register width");
  typedef T Raw __attribute__((vector_size(sizeof(T) * N)));
  typedef decltype(Raw{} < Raw{}) RawMask;
  struct Mask {
    RawMask m[K];
  };
  Raw v[K];
  __attribute__((always_inline)) static LaneVec load(const T* p) {
    LaneVec r;
    for (int k = 0; k < K; ++k) std::memcpy(&r.v[k], p + k * N, sizeof(Raw));
    return r;
  }
  __attribute__((always_inline)) static LaneVec fill(T x) {
    LaneVec r;
    for (int k = 0; k < K; ++k) {
      for (int l = 0; l < N; ++l) r.v[k][l] = x;
    }
    return r;
  }
  __attribute__((always_inline)) void store(T* p) const {
    for (int k = 0; k < K; ++k) std::memcpy(p + k * N, &v[k], sizeof(Raw));
  }
  __attribute__((always_inline)) friend LaneVec operator+(LaneVec a, LaneVec b) {
    for (int k = 0; k < K; ++k) a.v[k] += b.v[k];
    return a;
  }
  __attribute__((always_inline)) friend Mask operator<(LaneVec a, LaneVec b) {
    Mask m;
    for (int k = 0; k < K; ++k) m.m[k] = a.v[k] < b.v[k];
    return m;
  }
  __attribute__((always_inline)) static LaneVec select(Mask m, LaneVec a, LaneVec b) {
    for (int k = 0; k < K; ++k) a.v[k] = m.m[k] ? a.v[k] : b.v[k];
    return a;
  }
  __attribute__((always_inline)) static LaneVec min(LaneVec a, LaneVec b) {
    for (int k = 0; k < K; ++k) a.v[k] = b.v[k] < a.v[k] ? b.v[k] : a.v[k];
    return a;
  }
  static bool any(Mask m) {
    RawMask acc = m.m[0];
    for (int k = 1; k < K; ++k) acc |= m.m[k];
    for (int l = 0; l < N; ++l)
      if (acc[l]) return true;
    return false;
  }
  __attribute__((always_inline)) static Mask none() {
    Mask m;
    for (int k = 0; k < K; ++k) m.m[k] = RawMask{} != RawMask{};
    return m;
  }
  __attribute__((always_inline)) static Mask either(Mask a, Mask b) {
    for (int k = 0; k < K; ++k) a.m[k] |= b.m[k];
    return a;
  }
};
#endif

}  // namespace bigrad

#include "bigrad/lane_vec_neon.hpp"  // NEON registers on aarch64 (a no-op elsewhere)
