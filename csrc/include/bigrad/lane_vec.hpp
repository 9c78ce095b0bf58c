// LaneVec<T, L>: L values of T processed together. L = 1 is a plain scalar
// (CUDA, one instance per thread); L > 1 uses GCC/Clang vector extensions on
// the host so the grid kernels run L instances per SIMD instruction.
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
template <typename T, int L>
struct LaneVec {
  typedef T Raw __attribute__((vector_size(sizeof(T) * L)));
  typedef decltype(Raw{} < Raw{}) Mask;
  Raw v;
  static LaneVec load(const T* p) {
    LaneVec r;
    std::memcpy(&r.v, p, sizeof(Raw));
    return r;
  }
  static LaneVec fill(T x) {
    LaneVec r;
    for (int l = 0; l < L; ++l) r.v[l] = x;
    return r;
  }
  void store(T* p) const { std::memcpy(p, &v, sizeof(Raw)); }
  friend LaneVec operator+(LaneVec a, LaneVec b) { return {a.v + b.v}; }
  friend Mask operator<(LaneVec a, LaneVec b) { return a.v < b.v; }
  static LaneVec select(Mask m, LaneVec a, LaneVec b) { return {m ? a.v : b.v}; }
  static LaneVec min(LaneVec a, LaneVec b) { return {b.v < a.v ? b.v : a.v}; }
  static bool any(Mask m) {
    for (int l = 0; l < L; ++l)
      if (m[l]) return true;
    return false;
  }
  static Mask none() { return Mask{} != Mask{}; }
  static Mask either(Mask a, Mask b) { return a | b; }
};
#endif

}  // namespace bigrad
