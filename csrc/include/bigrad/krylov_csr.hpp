// Krylov solvers for one sparse system A x = b in CSR form (per batch member):
// CG, BiCGSTAB, MINRES and restarted GMRES, with no, Jacobi, ILU(0) or an
// explicit sparse preconditioner M (x -> M x approximates A^{-1}).
//
// Plain sequential code over raw pointers and caller-given workspace, so a
// member's result never depends on how the batch is spread over threads. The
// matrix-vector products are fused with the dot product that follows them, and
// the vector updates with the next norm, so each iteration reads every vector
// as few times as possible. Stopping: the recurrence residual below `thr`
// (max(rtol * ||b||, atol)), then the true residual b - A x is checked and a
// failed check restarts from the current x while iterations remain.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "bigrad/common.hpp"

namespace bigrad {

constexpr int kMaxBand = 8;

// Rows [lo, hi) of a CSR structure that hold exactly the columns i + off[k], k < K
// (ascending), one row after another (ptr[i] = ptr[lo] + (i - lo) K): the
// interior of a banded or stencil matrix. K = 0: none found.
struct CsrBand {
  int32_t lo = 0, hi = 0;
  int K = 0;
  int32_t off[kMaxBand] = {0, 0, 0, 0, 0, 0, 0, 0};
};

template <typename T>
struct CsrView {
  int32_t n;
  const int64_t* ptr;  // [n + 1]
  const int32_t* idx;  // [nnz], sorted within each row
  const T* val;        // [nnz]
  CsrBand band{};      // see csr_find_band
};

// A CsrBand as plain ints, {lo, hi, K, off[0..kMaxBand)}, to hand it across object files; and back.
constexpr int kBandInts = 3 + kMaxBand;
BIGRAD_HD void csr_band_pack(const CsrBand& b, int32_t* out) {
  out[0] = b.lo;
  out[1] = b.hi;
  out[2] = b.K;
  for (int k = 0; k < kMaxBand; ++k) out[3 + k] = b.off[k];
}
BIGRAD_HD CsrBand csr_band_unpack(const int32_t* in) {
  CsrBand b;
  b.lo = in[0];
  b.hi = in[1];
  b.K = in[2];
  for (int k = 0; k < kMaxBand; ++k) b.off[k] = in[3 + k];
  return b;
}

// Does row i hold exactly the columns i + b.off[k], k < b.K?
BIGRAD_HD bool csr_row_in_band(const int64_t* ptr, const int32_t* idx, const CsrBand& b, int32_t i) {
  if (ptr[i + 1] - ptr[i] != b.K) return false;
  for (int k = 0; k < b.K; ++k)
    if (idx[ptr[i] + k] != i + b.off[k]) return false;
  return true;
}

// The rows around the middle row that share its pattern of column offsets (a CsrBand), when
// they are at least half of the rows and at most kMaxBand per row; else K = 0. O(band size).
BIGRAD_HD CsrBand csr_find_band(int32_t n, const int64_t* ptr, const int32_t* idx) {
  CsrBand b;
  if (n < 16) return b;
  const int32_t m = n / 2;
  const int64_t K = ptr[m + 1] - ptr[m];
  if (K < 1 || K > kMaxBand) return b;
  b.K = int(K);
  for (int k = 0; k < b.K; ++k) b.off[k] = idx[ptr[m] + k] - m;
  int32_t lo = m, hi = m + 1;
  while (lo > 0 && csr_row_in_band(ptr, idx, b, lo - 1)) --lo;
  while (hi < n && csr_row_in_band(ptr, idx, b, hi)) ++hi;
  if (2 * int64_t(hi - lo) < int64_t(n)) return CsrBand{};
  b.lo = lo;
  b.hi = hi;
  return b;
}

// A sum in 8 interleaved parts (term i into part i % 8), added up in a fixed
// order: the same result on every run and thread count, without one long
// chain of dependent additions. for_rows8 walks i in blocks of 8 so that the
// parts stay in registers (and the compiler may vectorise across them).
template <typename T>
struct Sum8 {
  T part[8] = {T(0), T(0), T(0), T(0), T(0), T(0), T(0), T(0)};
  BIGRAD_HD T total() const {
    return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  }
};

// Calls f(i, part) for i in [0, n), part = the Sum8 slot of term i; returns the total.
template <typename T, typename F>
BIGRAD_HD T for_rows8(int32_t n, F f) {
  Sum8<T> s;
  int32_t i0 = 0;
  for (; i0 + 8 <= n; i0 += 8)
    for (int k = 0; k < 8; ++k) f(i0 + k, s.part[k]);
  for (int k = 0; i0 + k < n; ++k) f(i0 + k, s.part[k]);
  return s.total();
}

// Row i of A x (rows [lo, hi) of idx/val; short rows, as in banded and stencil matrices, as straight-line code).
template <typename T>
BIGRAD_HD T csr_row(const int32_t* c, const T* v, int64_t len, const T* x) {
  T s = T(0);
  switch (len) {  // the same order of sums in every case
    case 4:
      s += v[0] * x[c[0]];
      s += v[1] * x[c[1]];
      s += v[2] * x[c[2]];
      s += v[3] * x[c[3]];
      break;
    case 3:
      s += v[0] * x[c[0]];
      s += v[1] * x[c[1]];
      s += v[2] * x[c[2]];
      break;
    case 2:
      s += v[0] * x[c[0]];
      s += v[1] * x[c[1]];
      break;
    default:
      for (int64_t p = 0; p < len; ++p) s += v[p] * x[c[p]];
  }
  return s;
}

template <typename T>
BIGRAD_HD T csr_matvec_dot_band(const CsrView<T>& A, const T* x, T* y);

// y = A x; returns x . y, in one pass: row i's term goes into part i % 4 (rows walked in blocks of 4, the
// parts added up in a fixed order). Out of line and not vectorised on the host: gcc vectorised the short
// rows' loop and then kept the row loop's pointers on the stack. A banded interior (A.band) goes to
// csr_matvec_dot_band, which gives the same bits.
template <typename T>
BIGRAD_HD_NOINLINE BIGRAD_SCALAR T csr_matvec_dot(const CsrView<T>& A, const T* x, T* y) {
  if (A.band.K > 0) return csr_matvec_dot_band(A, x, y);
  const int64_t* ptr = A.ptr;
  const int32_t* idx = A.idx;
  const T* val = A.val;
  T a0 = T(0), a1 = T(0), a2 = T(0), a3 = T(0);
  int64_t lo = ptr[0];
  int32_t i = 0;
  for (; i + 4 <= A.n; i += 4) {
    const int64_t h0 = ptr[i + 1], h1 = ptr[i + 2], h2 = ptr[i + 3], h3 = ptr[i + 4];
    const T s0 = csr_row(idx + lo, val + lo, h0 - lo, x);
    const T s1 = csr_row(idx + h0, val + h0, h1 - h0, x);
    const T s2 = csr_row(idx + h1, val + h1, h2 - h1, x);
    const T s3 = csr_row(idx + h2, val + h2, h3 - h2, x);
    y[i] = s0;
    y[i + 1] = s1;
    y[i + 2] = s2;
    y[i + 3] = s3;
    a0 += x[i] * s0;
    a1 += x[i + 1] * s1;
    a2 += x[i + 2] * s2;
    a3 += x[i + 3] * s3;
    lo = h3;
  }
  for (; i < A.n; ++i) {
    const int64_t hi = ptr[i + 1];
    const T s = csr_row(idx + lo, val + lo, hi - lo, x);
    y[i] = s;
    a0 += x[i] * s;
    lo = hi;
  }
  return (a0 + a1) + (a2 + a3);
}

// y[i] = sum_k v[(i - lo) K + k] x[i + off[k]] for rows [lo, hi) of a band (k ascending, as csr_row sums).
template <int K, typename T>
BIGRAD_HD void band_rows(const T* v, const int32_t* off, int32_t lo, int32_t hi, const T* x, T* y) {
  int32_t o[K];
  for (int k = 0; k < K; ++k) o[k] = off[k];
  for (int32_t i = lo; i < hi; ++i) {
    const T* r = v + int64_t(i - lo) * K;
    T s = T(0);
    for (int k = 0; k < K; ++k) s += r[k] * x[i + o[k]];
    y[i] = s;
  }
}

// y = A x for rows [r0, r1), row by row (csr_row).
template <typename T>
BIGRAD_HD_NOINLINE BIGRAD_SCALAR void csr_rows(const CsrView<T>& A, const T* x, T* y, int32_t r0, int32_t r1) {
  for (int32_t i = r0; i < r1; ++i)
    y[i] = csr_row(A.idx + A.ptr[i], A.val + A.ptr[i], A.ptr[i + 1] - A.ptr[i], x);
}

// csr_matvec_dot for a matrix with a band: its rows without index loads (and vectorised on the host),
// the others row by row, then x . y in csr_matvec_dot's order of sums: the same bits.
template <typename T>
BIGRAD_HD_NOINLINE T csr_matvec_dot_band(const CsrView<T>& A, const T* x, T* y) {
  const CsrBand& b = A.band;
  const T* v = A.val + A.ptr[b.lo];
  csr_rows(A, x, y, 0, b.lo);
  switch (b.K) {
    case 1: band_rows<1>(v, b.off, b.lo, b.hi, x, y); break;
    case 2: band_rows<2>(v, b.off, b.lo, b.hi, x, y); break;
    case 3: band_rows<3>(v, b.off, b.lo, b.hi, x, y); break;
    case 4: band_rows<4>(v, b.off, b.lo, b.hi, x, y); break;
    case 5: band_rows<5>(v, b.off, b.lo, b.hi, x, y); break;
    case 6: band_rows<6>(v, b.off, b.lo, b.hi, x, y); break;
    case 7: band_rows<7>(v, b.off, b.lo, b.hi, x, y); break;
    default: band_rows<8>(v, b.off, b.lo, b.hi, x, y);
  }
  csr_rows(A, x, y, b.hi, A.n);
  T a0 = T(0), a1 = T(0), a2 = T(0), a3 = T(0);
  int32_t i = 0;
  for (; i + 4 <= A.n; i += 4) {
    a0 += x[i] * y[i];
    a1 += x[i + 1] * y[i + 1];
    a2 += x[i + 2] * y[i + 2];
    a3 += x[i + 3] * y[i + 3];
  }
  for (; i < A.n; ++i) a0 += x[i] * y[i];
  return (a0 + a1) + (a2 + a3);
}

template <typename T>
BIGRAD_HD T vec_dot(int32_t n, const T* a, const T* b);

// r = b - A x; returns ||r||^2.
template <typename T>
BIGRAD_HD T csr_residual(const CsrView<T>& A, const T* b, const T* x, T* r) {
  const int64_t* ptr = A.ptr;
  const int32_t* idx = A.idx;
  const T* val = A.val;
  return for_rows8<T>(A.n, [=](int32_t i, T& part) {
    T s = b[i];
    for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) s -= val[p] * x[idx[p]];
    r[i] = s;
    part += s * s;
  });
}

template <typename T>
BIGRAD_HD T vec_dot(int32_t n, const T* a, const T* b) {
  return for_rows8<T>(n, [=](int32_t i, T& part) { part += a[i] * b[i]; });
}

enum KrylovPrecond : int { kPrecNone = 0, kPrecJacobi = 1, kPrecIlu0 = 2, kPrecMatrix = 3 };
// Outcome of one member's solve.
enum KrylovStatus : int8_t { kKrylovRan = 0, kKrylovBreakdown = 1, kKrylovZeroPivot = 2 };

// The preconditioner of one member: kind, A's diagonal positions diag[n] (Jacobi,
// ILU(0)), factor lu[nnz] (ILU(0): L below the diagonal with a unit diagonal, U
// on and above) or inverse diagonal inv[n] (Jacobi), or the matrix M.
template <typename T>
struct Precond {
  int kind;
  CsrView<T> A, M;
  const int64_t* diag;
  T* work;  // Jacobi: inv [n]; ILU(0): lu [nnz]
};

// Builds the Jacobi or ILU(0) factors in p.work (iw: [n] int64 workspace).
// Returns false for a zero (or missing) pivot.
template <typename T>
BIGRAD_HD bool precond_setup(Precond<T>& p, int64_t* iw) {
  const CsrView<T>& A = p.A;
  if (p.kind == kPrecJacobi) {
    for (int32_t i = 0; i < A.n; ++i) {
      const T d = p.diag[i] < 0 ? T(0) : A.val[p.diag[i]];
      if (!(d != T(0))) return false;
      p.work[i] = T(1) / d;
    }
    return true;
  }
  if (p.kind != kPrecIlu0) return true;
  T* lu = p.work;
  for (int64_t q = 0; q < A.ptr[A.n]; ++q) lu[q] = A.val[q];
  for (int32_t j = 0; j < A.n; ++j) iw[j] = -1;
  for (int32_t i = 0; i < A.n; ++i) {
    if (p.diag[i] < 0) return false;
    for (int64_t q = A.ptr[i]; q < A.ptr[i + 1]; ++q) iw[A.idx[q]] = q;
    for (int64_t q = A.ptr[i]; q < p.diag[i]; ++q) {  // k = idx[q] < i, in increasing order
      const int32_t k = A.idx[q];
      lu[q] /= lu[p.diag[k]];
      for (int64_t s = p.diag[k] + 1; s < A.ptr[k + 1]; ++s) {
        const int64_t at = iw[A.idx[s]];
        if (at >= 0) lu[at] -= lu[q] * lu[s];
      }
    }
    for (int64_t q = A.ptr[i]; q < A.ptr[i + 1]; ++q) iw[A.idx[q]] = -1;
    const T piv = lu[p.diag[i]];
    if (!(piv != T(0)) || !(piv == piv)) return false;
  }
  return true;
}

// z = M r; returns r . z.
template <typename T>
BIGRAD_HD T precond_apply(const Precond<T>& p, const T* r, T* z) {
  const int32_t n = p.A.n;
  if (p.kind == kPrecNone) {
    return for_rows8<T>(n, [=](int32_t i, T& part) {
      z[i] = r[i];
      part += r[i] * r[i];
    });
  }
  if (p.kind == kPrecJacobi) {
    const T* inv = p.work;
    return for_rows8<T>(n, [=](int32_t i, T& part) {
      z[i] = inv[i] * r[i];
      part += r[i] * z[i];
    });
  }
  if (p.kind == kPrecMatrix) return csr_matvec_dot(p.M, r, z);  // r . (M r)
  const CsrView<T>& A = p.A;
  const T* lu = p.work;
  for (int32_t i = 0; i < n; ++i) {  // L y = r (unit diagonal), y in z
    T s = r[i];
    for (int64_t q = A.ptr[i]; q < p.diag[i]; ++q) s -= lu[q] * z[A.idx[q]];
    z[i] = s;
  }
  for (int32_t i = n - 1; i >= 0; --i) {  // U z = y
    T s = z[i];
    for (int64_t q = p.diag[i] + 1; q < A.ptr[i + 1]; ++q) s -= lu[q] * z[A.idx[q]];
    z[i] = s / lu[p.diag[i]];
  }
  return vec_dot(n, r, z);
}

// Cooperative cancellation, host only: the CPU drivers pass ::bigrad::cancelled, which
// on the calling thread also polls Python's signals. Every 32 iterations a solve asks;
// once cancelled it ends as if its iteration budget were spent (the call's output is
// then dropped).
using KrylovPoll = bool (*)();
BIGRAD_HD void krylov_poll(int64_t it, int64_t& maxiter, KrylovPoll poll) {
  if (poll != nullptr && (it & 31) == 0 && poll()) maxiter = it;
}

// What a solve returns: iterations used, final true residual norm, status.
template <typename T>
struct KrylovResult {
  int64_t iterations;
  T residual;
  int8_t status;
};

// Preconditioned CG from x (in/out). work: 4 n.
template <typename T>
BIGRAD_HD KrylovResult<T> csr_cg(const CsrView<T>& A, const Precond<T>& M, const T* b, T* x, T thr, int64_t maxiter,
                                 T* work, KrylovPoll poll = nullptr) {
  const int32_t n = A.n;
  T *r = work, *z = work + n, *p = work + 2 * n, *q = work + 3 * n;
  int64_t it = 0;
  int8_t status = kKrylovRan;
  T rr = csr_residual(A, b, x, r);
  while (!(std::sqrt(rr) <= thr) && it < maxiter && status == kKrylovRan) {  // a restart after a failed check
    T rz = precond_apply(M, r, z);
    for (int32_t i = 0; i < n; ++i) p[i] = z[i];
    while (it < maxiter) {
      const T pq = csr_matvec_dot(A, p, q);
      if (!(pq > T(0)) || !(rz > T(0))) {
        status = kKrylovBreakdown;  // non-positive curvature: A (or M) is not SPD
        break;
      }
      const T alpha = rz / pq;
      rr = for_rows8<T>(n, [=](int32_t i, T& part) {
        x[i] += alpha * p[i];
        r[i] -= alpha * q[i];
        part += r[i] * r[i];
      });
      ++it;
      krylov_poll(it, maxiter, poll);
      if (std::sqrt(rr) <= thr) break;
      // without a preconditioner z is r, and r . z the norm just formed
      const T rz_new = M.kind == kPrecNone ? rr : precond_apply(M, r, z);
      const T* zz = M.kind == kPrecNone ? r : z;
      const T beta = rz_new / rz;
      rz = rz_new;
      for (int32_t i = 0; i < n; ++i) p[i] = zz[i] + beta * p[i];
    }
    rr = csr_residual(A, b, x, r);
  }
  return {it, std::sqrt(rr), status};
}

// BiCGSTAB (right preconditioned, as scipy) from x. work: 8 n.
template <typename T>
BIGRAD_HD KrylovResult<T> csr_bicgstab(const CsrView<T>& A, const Precond<T>& M, const T* b, T* x, T thr,
                                       int64_t maxiter, T* work, KrylovPoll poll = nullptr) {
  const int32_t n = A.n;
  T *r = work, *rh = work + n, *p = work + 2 * n, *v = work + 3 * n, *ph = work + 4 * n, *s = work + 5 * n,
    *sh = work + 6 * n, *t = work + 7 * n;
  int64_t it = 0;
  int8_t status = kKrylovRan;
  T rr = csr_residual(A, b, x, r);
  while (!(std::sqrt(rr) <= thr) && it < maxiter && status == kKrylovRan) {
    T rho_prev = T(1), alpha = T(1), omega = T(1);
    for (int32_t i = 0; i < n; ++i) {
      rh[i] = r[i];
      p[i] = v[i] = T(0);
    }
    while (it < maxiter) {
      const T rho = vec_dot(n, rh, r);
      if (!(rho != T(0)) || !(omega != T(0))) {
        status = kKrylovBreakdown;
        break;
      }
      const T beta = (rho / rho_prev) * (alpha / omega);
      for (int32_t i = 0; i < n; ++i) p[i] = r[i] + beta * (p[i] - omega * v[i]);
      precond_apply(M, p, ph);
      csr_matvec_dot(A, ph, v);
      const T rv = vec_dot(n, rh, v);
      if (!(rv != T(0))) {
        status = kKrylovBreakdown;
        break;
      }
      alpha = rho / rv;
      const T ss = for_rows8<T>(n, [=](int32_t i, T& part) {
        s[i] = r[i] - alpha * v[i];
        part += s[i] * s[i];
      });
      ++it;
      krylov_poll(it, maxiter, poll);
      if (std::sqrt(ss) <= thr) {
        for (int32_t i = 0; i < n; ++i) x[i] += alpha * ph[i];
        break;
      }
      precond_apply(M, s, sh);
      csr_matvec_dot(A, sh, t);
      const T tt = vec_dot(n, t, t), ts = vec_dot(n, t, s);
      omega = tt > T(0) ? ts / tt : T(0);
      rr = for_rows8<T>(n, [=](int32_t i, T& part) {
        x[i] += alpha * ph[i] + omega * sh[i];
        r[i] = s[i] - omega * t[i];
        part += r[i] * r[i];
      });
      rho_prev = rho;
      if (std::sqrt(rr) <= thr) break;
    }
    rr = csr_residual(A, b, x, r);
  }
  return {it, std::sqrt(rr), status};
}

// MINRES (Paige and Saunders, preconditioned with an SPD M) from x. work: 8 n.
template <typename T>
BIGRAD_HD KrylovResult<T> csr_minres(const CsrView<T>& A, const Precond<T>& M, const T* b, T* x, T thr,
                                     int64_t maxiter, T* work, KrylovPoll poll = nullptr) {
  const int32_t n = A.n;
  T *r1 = work, *r2 = work + n, *y = work + 2 * n, *v = work + 3 * n, *w = work + 4 * n, *w1 = work + 5 * n,
    *w2 = work + 6 * n;
  int64_t it = 0;
  int8_t status = kKrylovRan;
  T rr = csr_residual(A, b, x, r1);
  while (!(std::sqrt(rr) <= thr) && it < maxiter && status == kKrylovRan) {
    const T ry = precond_apply(M, r1, y);
    if (!(ry > T(0))) {
      status = kKrylovBreakdown;  // M is not positive definite
      break;
    }
    T beta = std::sqrt(ry), oldb = T(0), dbar = T(0), epsln = T(0), phibar = beta, cs = T(-1), sn = T(0);
    for (int32_t i = 0; i < n; ++i) {
      r2[i] = r1[i];
      w[i] = w2[i] = T(0);
    }
    for (int64_t k = 0; it < maxiter; ++k) {
      const T sc = T(1) / beta;
      for (int32_t i = 0; i < n; ++i) v[i] = sc * y[i];
      csr_matvec_dot(A, v, y);
      if (k >= 1)
        for (int32_t i = 0; i < n; ++i) y[i] -= (beta / oldb) * r1[i];
      const T alfa = vec_dot(n, v, y);
      for (int32_t i = 0; i < n; ++i) {
        y[i] -= (alfa / beta) * r2[i];
        r1[i] = r2[i];
        r2[i] = y[i];
      }
      const T r2y = precond_apply(M, r2, y);
      oldb = beta;
      if (!(r2y >= T(0))) {
        status = kKrylovBreakdown;
        break;
      }
      beta = std::sqrt(r2y);
      const T oldeps = epsln, delta = cs * dbar + sn * alfa, gbar = sn * dbar - cs * alfa;
      epsln = sn * beta;
      dbar = -cs * beta;
      T gamma = std::sqrt(gbar * gbar + beta * beta);
      if (!(gamma > T(0))) gamma = std::numeric_limits<T>::min();
      cs = gbar / gamma;
      sn = beta / gamma;
      const T phi = cs * phibar;
      phibar *= sn;
      for (int32_t i = 0; i < n; ++i) {
        const T wi = (v[i] - oldeps * w1[i] - delta * w2[i]) / gamma;
        w1[i] = w2[i];
        w2[i] = w[i] = wi;
        x[i] += phi * wi;
      }
      ++it;
      krylov_poll(it, maxiter, poll);
      if (std::fabs(phibar) <= thr || !(beta > T(0))) break;  // estimate reached, or the space is exhausted
    }
    rr = csr_residual(A, b, x, r1);  // a restart from x if it is still too large
  }
  return {it, std::sqrt(rr), status};
}

// Restarted GMRES(m), right preconditioned, from x. work: (m + 3) n + (m + 1) (m + 4).
template <typename T>
BIGRAD_HD KrylovResult<T> csr_gmres(const CsrView<T>& A, const Precond<T>& M, const T* b, T* x, T thr,
                                    int64_t maxiter, int m, T* work, KrylovPoll poll = nullptr) {
  const int32_t n = A.n;
  T* V = work;                          // (m + 1) n
  T* z = V + int64_t(m + 1) * n;        // n
  T* u = z + n;                         // n
  T* H = u + n;                         // (m + 1) m, column-major: H[i + j * (m + 1)]
  T* g = H + int64_t(m + 1) * m;        // m + 1
  T* cs = g + (m + 1);                  // m
  T* sn = cs + m;                       // m
  T* yv = sn + m;                       // m
  int64_t it = 0;
  int8_t status = kKrylovRan;
  T rr = csr_residual(A, b, x, V);
  while (!(std::sqrt(rr) <= thr) && it < maxiter && status == kKrylovRan) {
    const T beta = std::sqrt(rr);
    for (int32_t i = 0; i < n; ++i) V[i] /= beta;
    for (int i = 0; i <= m; ++i) g[i] = T(0);
    g[0] = beta;
    int j = 0;
    for (; j < m && it < maxiter; ++j) {
      T* vj = V + int64_t(j) * n;
      T* w = vj + n;
      precond_apply(M, vj, z);
      csr_matvec_dot(A, z, w);
      T* h = H + int64_t(j) * (m + 1);
      for (int i = 0; i <= j; ++i) {  // modified Gram-Schmidt
        const T* vi = V + int64_t(i) * n;
        const T hij = vec_dot(n, vi, w);
        h[i] = hij;
        for (int32_t k = 0; k < n; ++k) w[k] -= hij * vi[k];
      }
      const T hn = std::sqrt(vec_dot(n, w, w));
      h[j + 1] = hn;
      if (hn > T(0))
        for (int32_t k = 0; k < n; ++k) w[k] /= hn;
      for (int i = 0; i < j; ++i) {  // the earlier rotations, then a new one
        const T a = h[i], c = h[i + 1];
        h[i] = cs[i] * a + sn[i] * c;
        h[i + 1] = -sn[i] * a + cs[i] * c;
      }
      const T den = std::sqrt(h[j] * h[j] + h[j + 1] * h[j + 1]);
      cs[j] = den > T(0) ? h[j] / den : T(1);
      sn[j] = den > T(0) ? h[j + 1] / den : T(0);
      h[j] = den;
      h[j + 1] = T(0);
      g[j + 1] = -sn[j] * g[j];
      g[j] = cs[j] * g[j];
      ++it;
      krylov_poll(it, maxiter, poll);
      if (std::fabs(g[j + 1]) <= thr || !(hn > T(0))) {
        ++j;
        break;
      }
    }
    for (int i = j - 1; i >= 0; --i) {  // H y = g, upper triangular
      T s = g[i];
      for (int k = i + 1; k < j; ++k) s -= H[i + int64_t(k) * (m + 1)] * yv[k];
      const T d = H[i + int64_t(i) * (m + 1)];
      yv[i] = d != T(0) ? s / d : T(0);
    }
    for (int32_t k = 0; k < n; ++k) u[k] = T(0);
    for (int i = 0; i < j; ++i)
      for (int32_t k = 0; k < n; ++k) u[k] += yv[i] * V[int64_t(i) * n + k];
    precond_apply(M, u, z);
    for (int32_t k = 0; k < n; ++k) x[k] += z[k];
    if (j == 0) status = kKrylovBreakdown;
    rr = csr_residual(A, b, x, V);
  }
  return {it, std::sqrt(rr), status};
}

}  // namespace bigrad
