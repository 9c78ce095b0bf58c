// Batched CPU driver of the per-member sparse Krylov solvers (bigrad/krylov_csr.hpp).
#pragma once

#include <cstdint>

namespace bigrad {

// One sparsity structure (ptr [n + 1], idx [nnz], sorted within rows) with
// per-member values (val [B, nnz]); likewise the optional preconditioner matrix.
struct CsrBatch {
  int32_t n;
  int64_t nnz;
  const int64_t* ptr;
  const int32_t* idx;
};

// Solves every member b of `B` from x [B, n] (in: x0, out: the solution; b and
// x0 finite: the caller sets non-finite members aside). method: 0 cg, 1 bicgstab, 2 minres, 3 gmres (restart m).
// precond: KrylovPrecond; diag [n]: positions of A's diagonal (-1 where
// missing), for Jacobi and ILU(0); M, m_val: the preconditioner matrix (kind 3).
// Outputs per member: iterations, residual (true, of the returned x), status
// (KrylovStatus). Members run in parallel, each by the same sequential code.
template <typename T>
void krylov_csr_cpu(int method, const CsrBatch& A, const T* a_val, const T* b, T* x, int64_t B,
                    const T* thr, int64_t maxiter, int restart, int precond,
                    const int64_t* diag, const CsrBatch* M, const T* m_val, int64_t* iterations, T* residual,
                    int8_t* status);

}  // namespace bigrad
