// LaneVec<T, L>: L values of T processed together. L = 1 is a plain scalar
// (CUDA, one instance per thread); L > 1 uses GCC/Clang vector extensions on
// the host so the grid kernels run L instances per SIMD instruction, in one
// register or several.
#pragma once

#include <cstdint>
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

// Zeros for lanes l with bad[l] != 0 (l < count) and lanes from count on.
template <typename T, int L>
inline void lanes_zero_bad(int count, int64_t n, T* dst, const unsigned char* bad) {
  for (int l = 0; l < L; ++l) {
    if (l < count && bad[l] == 0) continue;
    for (int64_t c = 0; c < n; ++c) dst[c * L + l] = T(0);
  }
}

// Interleave `count` instances of n values each (src[l * n + c]) into lanes:
// dst[c * L + l]. bad[l] (l < count) is set to 1 when instance l has a value
// outside [0, top] (NaN included), else 0; such lanes, and lanes from count
// on, get zeros (a lane with negative weights would never converge).
// Portable version; the host build transposes square blocks in registers.
template <typename T, int L>
inline void lanes_interleave_scalar(const T* src, int count, int64_t n, T top, T* dst, unsigned char* bad) {
  for (int l = 0; l < count; ++l) {
    const T* s = src + l * n;
    bool ok = true;
    for (int64_t c = 0; c < n; ++c) {
      const T x = s[c];
      ok &= x >= T(0) && x <= top;  // false for NaN
      dst[c * L + l] = x;
    }
    bad[l] = ok ? 0 : 1;
  }
  lanes_zero_bad<T, L>(count, n, dst, bad);
}

// The inverse for L lanes of n values: dst[l * stride + c] = src[c * L + l].
template <typename T, int L>
inline void lanes_deinterleave_scalar(const T* src, int64_t n, T* dst, int64_t stride) {
  for (int64_t c = 0; c < n; ++c) {
    for (int l = 0; l < L; ++l) dst[l * stride + c] = src[c * L + l];
  }
}

#if !defined(__CUDACC__) && (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12))
namespace detail {

// 0, 1, ..., N - 1 as a parameter pack (no <utility>: the ISA files include
// this header inside an anonymous namespace, after their system headers).
template <int... Is>
struct IndexSeq {};
template <int N, int... Is>
struct MakeIndexSeq : MakeIndexSeq<N - 1, N - 1, Is...> {};
template <int... Is>
struct MakeIndexSeq<0, Is...> {
  using type = IndexSeq<Is...>;
};

// One butterfly stage of an N x N transpose held in N registers: swaps bit B
// of the row index with bit B of the column index.
template <typename Raw, int N, int B, int... Is>
__attribute__((always_inline)) inline void transpose_stage(Raw* r, IndexSeq<Is...>) {
  for (int i = 0; i < N; ++i) {
    if (i & B) continue;
    const Raw a = r[i], b = r[i + B];
    r[i] = __builtin_shufflevector(a, b, ((Is & B) ? N + Is - B : Is)...);
    r[i + B] = __builtin_shufflevector(a, b, ((Is & B) ? N + Is : Is + B)...);
  }
}

template <typename Raw, int N, int B>
__attribute__((always_inline)) inline void transpose_square(Raw* r) {
  if constexpr (B >= 1) {
    transpose_stage<Raw, N, B>(r, typename MakeIndexSeq<N>::type{});
    transpose_square<Raw, N, B / 2>(r);
  }
}

}  // namespace detail

template <typename T, int L>
inline void lanes_interleave(const T* src, int count, int64_t n, T top, T* dst, unsigned char* bad) {
  constexpr int N = L * int(sizeof(T)) < kNativeVectorBytes ? L : kNativeVectorBytes / int(sizeof(T));
  // square blocks pay where the shuffles are cheap: 4+ floats, or 8 doubles
  if constexpr (N < 2 || L % N != 0 || (sizeof(T) == 8 && N < 8)) {
    lanes_interleave_scalar<T, L>(src, count, n, top, dst, bad);
  } else {
    typedef T Raw __attribute__((vector_size(sizeof(T) * N)));
    typedef decltype(Raw{} < Raw{}) RawMask;
    if (count < L) {  // the last, partial group
      lanes_interleave_scalar<T, L>(src, count, n, top, dst, bad);
      return;
    }
    const int64_t blocks = n / N;
    Raw zero, high;
    for (int l = 0; l < N; ++l) {
      zero[l] = T(0);
      high[l] = top;
    }
    for (int l0 = 0; l0 < L; l0 += N) {
      RawMask fail = zero < zero;  // all false
      for (int64_t b = 0; b < blocks; ++b) {
        Raw r[N];
        for (int l = 0; l < N; ++l) std::memcpy(&r[l], src + (l0 + l) * n + b * N, sizeof(Raw));
        detail::transpose_square<Raw, N, N / 2>(r);
        for (int c = 0; c < N; ++c) {
          fail |= ~((r[c] >= zero) & (r[c] <= high));  // NaN fails both
          std::memcpy(dst + (b * N + c) * L + l0, &r[c], sizeof(Raw));
        }
      }
      for (int l = 0; l < N; ++l) {
        const T* s = src + (l0 + l) * n;
        bool ok = fail[l] == 0;
        for (int64_t c = blocks * N; c < n; ++c) {
          const T x = s[c];
          ok &= x >= T(0) && x <= top;
          dst[c * L + l0 + l] = x;
        }
        bad[l0 + l] = ok ? 0 : 1;
      }
    }
    lanes_zero_bad<T, L>(count, n, dst, bad);
  }
}

template <typename T, int L>
inline void lanes_deinterleave(const T* src, int64_t n, T* dst, int64_t stride) {
  constexpr int N = L * int(sizeof(T)) < kNativeVectorBytes ? L : kNativeVectorBytes / int(sizeof(T));
  if constexpr (N < 2 || L % N != 0 || (sizeof(T) == 8 && N < 8)) {
    lanes_deinterleave_scalar<T, L>(src, n, dst, stride);
  } else {
    typedef T Raw __attribute__((vector_size(sizeof(T) * N)));
    const int64_t blocks = n / N;
    for (int l0 = 0; l0 < L; l0 += N) {
      for (int64_t b = 0; b < blocks; ++b) {
        Raw r[N];
        for (int c = 0; c < N; ++c) std::memcpy(&r[c], src + (b * N + c) * L + l0, sizeof(Raw));
        detail::transpose_square<Raw, N, N / 2>(r);
        for (int l = 0; l < N; ++l) std::memcpy(dst + (l0 + l) * stride + b * N, &r[l], sizeof(Raw));
      }
    }
    for (int64_t c = blocks * N; c < n; ++c) {
      for (int l = 0; l < L; ++l) dst[l * stride + c] = src[c * L + l];
    }
  }
}
#else
template <typename T, int L>
inline void lanes_deinterleave(const T* src, int64_t n, T* dst, int64_t stride) {
  lanes_deinterleave_scalar<T, L>(src, n, dst, stride);
}
template <typename T, int L>
inline void lanes_interleave(const T* src, int count, int64_t n, T top, T* dst, unsigned char* bad) {
  lanes_interleave_scalar<T, L>(src, count, n, top, dst, bad);
}
#endif

}  // namespace bigrad

#include "bigrad/lane_vec_neon.hpp"  // NEON registers on aarch64 (a no-op elsewhere)
