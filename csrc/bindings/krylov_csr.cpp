#include "../krylov_csr.hpp"

#include <pybind11/stl.h>

#include <new>
#include <optional>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

CsrBatch structure(const CArray<int64_t>& ptr, const CArray<int32_t>& idx) {
  if (ptr.ndim() != 1 || idx.ndim() != 1 || ptr.shape(0) < 2) throw std::invalid_argument("csr: bad structure");
  return CsrBatch{int32_t(ptr.shape(0) - 1), idx.shape(0), ptr.data(), idx.data()};
}

// x is solved in place (it holds x0 on entry).
template <typename T>
py::tuple solve_np(int method, CArray<int64_t> ptr, CArray<int32_t> idx, CArray<T> val, CArray<T> b, CArray<T> x,
                   CArray<T> thr, int64_t maxiter, int restart, int precond,
                   CArray<int64_t> diag, std::optional<CArray<int64_t>> m_ptr, std::optional<CArray<int32_t>> m_idx,
                   std::optional<CArray<T>> m_val) {
  const CsrBatch A = structure(ptr, idx);
  require_ndim(val, 2, "A");
  require_ndim(b, 2, "b");
  const auto B = b.shape(0);
  if (val.shape(0) != B || val.shape(1) != A.nnz || b.shape(1) != A.n || x.shape(0) != B || x.shape(1) != A.n ||
      thr.shape(0) != B || diag.shape(0) != A.n || restart < 1)
    throw std::invalid_argument("krylov_csr: inconsistent shapes");
  std::optional<CsrBatch> M;
  if (precond == 3) {
    if (!m_ptr || !m_idx || !m_val) throw std::invalid_argument("krylov_csr: the preconditioner matrix is missing");
    M = structure(*m_ptr, *m_idx);
    if (M->n != A.n || m_val->shape(0) != B || m_val->shape(1) != M->nnz)
      throw std::invalid_argument("krylov_csr: inconsistent preconditioner shapes");
  }
  auto iterations = empty_array<int64_t>({B});
  auto residual = empty_array<T>({B});
  auto status = empty_array<int8_t>({B});
  const T* av = val.data();
  const T* bv = b.data();
  T* xv = x.mutable_data();
  const T* th = thr.data();
  const int64_t* dg = diag.data();
  const T* mv = M ? m_val->data() : nullptr;
  int64_t* it = iterations.mutable_data();
  T* res = residual.mutable_data();
  int8_t* st = status.mutable_data();
  try {
    py::gil_scoped_release release;
    krylov_csr_cpu<T>(method, A, av, bv, xv, B, th, maxiter, restart, precond, dg, M ? &*M : nullptr, mv, it,
                      res, st);
  } catch (const std::bad_alloc&) {
    PyErr_SetString(PyExc_MemoryError, "A: out of memory allocating the Krylov workspace; solve a smaller batch");
    throw py::error_already_set();
  }
  return py::make_tuple(iterations, residual, status);
}

}  // namespace

void bind_krylov_csr(py::module_& m) {
  const char* doc =
      "krylov_csr(method, ptr, idx, val[B,nnz], b[B,n], x[B,n] (in: x0, out: x; b, x0 finite), thr[B], maxiter, restart, "
      "precond, diag[n], m_ptr, m_idx, m_val) -> (iterations[B], residual[B], status[B]): method 0 cg, 1 bicgstab, "
      "2 minres, 3 gmres; precond 0 none, 1 jacobi, 2 ilu0, 3 matrix; status 0 ran, 1 breakdown, 2 zero pivot";
  m.def("krylov_csr", &solve_np<float>, py::arg("method"), py::arg("ptr"), py::arg("idx"), py::arg("val"),
        py::arg("b"), py::arg("x").noconvert(), py::arg("thr"), py::arg("maxiter"),
        py::arg("restart"), py::arg("precond"), py::arg("diag"), py::arg("m_ptr"), py::arg("m_idx"), py::arg("m_val"),
        doc);
  m.def("krylov_csr", &solve_np<double>, py::arg("method"), py::arg("ptr"), py::arg("idx"), py::arg("val"),
        py::arg("b"), py::arg("x").noconvert(), py::arg("thr"), py::arg("maxiter"),
        py::arg("restart"), py::arg("precond"), py::arg("diag"), py::arg("m_ptr"), py::arg("m_idx"), py::arg("m_val"),
        doc);
}

}  // namespace bigrad
