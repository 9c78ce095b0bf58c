#include "krylov_csr.hpp"

#include <vector>

#include "batch.hpp"
#include "bigrad/krylov_csr.hpp"
#include "isa.hpp"

namespace bigrad {
namespace {

// Scalars of workspace one member's solve needs.
int64_t work_size(int method, int32_t n, int m) {
  switch (method) {
    case 0:
      return 4 * int64_t(n);
    case 3:
      return int64_t(m + 3) * n + int64_t(m + 1) * (m + 4);
    default:
      return 8 * int64_t(n);
  }
}

// The chosen ISA's per-member solver for T.
template <typename T>
auto kernel() {
  if constexpr (sizeof(T) == 4) {
    return krylov_csr_kernels().solve_f32;
  } else {
    return krylov_csr_kernels().solve_f64;
  }
}

template <typename T>
struct Work {
  std::vector<T> solve, prec;
  std::vector<int64_t> iw;
};

}  // namespace

template <typename T>
void krylov_csr_cpu(int method, const CsrBatch& A, const T* a_val, const T* b, T* x, int64_t B,
                    const T* thr, int64_t maxiter, int restart, int precond,
                    const int64_t* diag, const CsrBatch* M, const T* m_val, int64_t* iterations, T* residual,
                    int8_t* status) {
  const int32_t n = A.n;
  const int64_t per = work_size(method, n, restart);
  const int64_t prec = precond == kPrecIlu0 ? A.nnz : (precond == kPrecJacobi ? n : 0);
  const double nnz_work = double(A.nnz) + 10.0 * n;
  int32_t band[kBandInts];  // the structure is every member's: its band is found once
  csr_band_pack(csr_find_band(n, A.ptr, A.idx), band);
  for_each_instance(
      B, nnz_work * 20.0,
      [&] {
        Work<T> w;
        w.solve.resize(size_t(per));
        w.prec.resize(size_t(prec > 0 ? prec : 1));
        w.iw.resize(precond == kPrecIlu0 ? size_t(n) : 1);
        return w;
      },
      [&](int64_t i, Work<T>& w) {
        kernel<T>()(method, n, A.ptr, A.idx, a_val + i * A.nnz, precond, diag, w.prec.data(),
                         M ? M->ptr : nullptr, M ? M->idx : nullptr, M ? m_val + i * M->nnz : nullptr, b + i * n,
                         x + i * n, thr[i], maxiter, restart, w.solve.data(), w.iw.data(), band, iterations + i,
                         residual + i, status + i);
      },
      true);  // the solves poll cancelled() every 32 iterations: the calling thread computes too
}

template void krylov_csr_cpu<float>(int, const CsrBatch&, const float*, const float*, float*, int64_t,
                                    const float*, int64_t, int, int, const int64_t*,
                                    const CsrBatch*, const float*, int64_t*, float*, int8_t*);
template void krylov_csr_cpu<double>(int, const CsrBatch&, const double*, const double*, double*, int64_t,
                                     const double*, int64_t, int, int, const int64_t*,
                                     const CsrBatch*, const double*, int64_t*, double*, int8_t*);

}  // namespace bigrad
