// One instruction set's per-member sparse Krylov solvers (see
// csrc/isa/krylov_csr.hpp); the kernel header is included inside an anonymous
// namespace, private to this object, as in csrc/isa/shortest_path.cpp.
#include <cmath>
#include <cstdint>
#include <limits>

#include "isa/krylov_csr.hpp"

namespace bigrad {
bool cancelled();  // csrc/batch.cpp
}  // namespace bigrad

namespace {
#include "bigrad/krylov_csr.hpp"

template <typename T>
void solve(int method, int32_t n, const int64_t* ptr, const int32_t* idx, const T* val, int kind, const int64_t* diag,
           T* prec, const int64_t* m_ptr, const int32_t* m_idx, const T* m_val, const T* b, T* x, T thr,
           int64_t maxiter, int restart, T* work, int64_t* iw, const int32_t* band, int64_t* iterations, T* residual,
           int8_t* status) {
  using namespace bigrad;
  CsrView<T> a{n, ptr, idx, val};
  a.band = csr_band_unpack(band);
  Precond<T> p{kind, a, CsrView<T>{n, m_ptr, m_idx, m_val}, diag, prec};
  if (!precond_setup(p, iw)) {
    *iterations = 0;
    *residual = T(0);
    *status = kKrylovZeroPivot;
    return;
  }
  KrylovResult<T> r;
  switch (method) {
    case 0:
      r = csr_cg(a, p, b, x, thr, maxiter, work, &::bigrad::cancelled);
      break;
    case 1:
      r = csr_bicgstab(a, p, b, x, thr, maxiter, work, &::bigrad::cancelled);
      break;
    case 2:
      r = csr_minres(a, p, b, x, thr, maxiter, work, &::bigrad::cancelled);
      break;
    default:
      r = csr_gmres(a, p, b, x, thr, maxiter, restart, work, &::bigrad::cancelled);
  }
  *iterations = r.iterations;
  *residual = r.residual;
  *status = r.status;
}

}  // namespace

namespace bigrad {

extern const KrylovCsrKernels BIGRAD_KRYLOV_TABLE;
const KrylovCsrKernels BIGRAD_KRYLOV_TABLE = {
    &solve<float>,
    &solve<double>,
};

}  // namespace bigrad
