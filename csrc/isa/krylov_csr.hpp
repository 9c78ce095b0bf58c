// The per-member sparse Krylov solvers of bigrad/krylov_csr.hpp compiled once
// per instruction set (csrc/isa/krylov_csr.cpp, -ffp-contract=off so that no
// build fuses a multiply and an add the others round twice: every ISA gives
// the same bits); csrc/isa.cpp picks one table at import. Plain pointers only.
#pragma once

#include <cstdint>

namespace bigrad {

struct KrylovCsrKernels {
  // One member: method 0 cg, 1 bicgstab, 2 minres, 3 gmres(restart). A: CSR (n,
  // ptr, idx, val); preconditioner kind (KrylovPrecond) with A's diagonal
  // positions diag, its factor workspace prec (nnz or n values) and, for kind 3,
  // the matrix M (m_ptr, m_idx, m_val); x: in x0, out the solution; work: the
  // method's workspace; iw: n int64; band: A's structure's band, found once per
  // call (csr_find_band), packed as {lo, hi, K, off[0..kMaxBand)}. Writes
  // iterations, residual, status.
  void (*solve_f32)(int method, int32_t n, const int64_t* ptr, const int32_t* idx, const float* val, int kind,
                    const int64_t* diag, float* prec, const int64_t* m_ptr, const int32_t* m_idx, const float* m_val,
                    const float* b, float* x, float thr, int64_t maxiter, int restart, float* work, int64_t* iw,
                    const int32_t* band, int64_t* iterations, float* residual, int8_t* status);
  void (*solve_f64)(int method, int32_t n, const int64_t* ptr, const int32_t* idx, const double* val, int kind,
                    const int64_t* diag, double* prec, const int64_t* m_ptr, const int32_t* m_idx,
                    const double* m_val, const double* b, double* x, double thr, int64_t maxiter, int restart,
                    double* work, int64_t* iw, const int32_t* band, int64_t* iterations, double* residual,
                    int8_t* status);
};

extern const KrylovCsrKernels kKrylovCsrBaseline;
#if defined(BIGRAD_HAVE_AVX2)
extern const KrylovCsrKernels kKrylovCsrAvx2;
#endif
#if defined(BIGRAD_HAVE_AVX512)
extern const KrylovCsrKernels kKrylovCsrAvx512;
#endif
#if defined(BIGRAD_HAVE_NEON)
extern const KrylovCsrKernels kKrylovCsrNeon;
#endif

}  // namespace bigrad
