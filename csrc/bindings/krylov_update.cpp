#include "../krylov_update.hpp"

#include <stdexcept>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

// The arrays are the caller's own buffers, updated in place: no conversion may copy them.
template <typename T>
T* buffer(py::array& a, const char* name, int64_t size, bool write) {
  if (!py::isinstance<py::array_t<T>>(a) || !(a.flags() & py::array::c_style) || (write && !a.writeable()) ||
      a.size() != size) {
    throw std::invalid_argument(std::string("cg_step: ") + name + " must be a " + (write ? "writable " : "") +
                                "C-contiguous array of " + std::to_string(size) + " entries of the right dtype");
  }
  return static_cast<T*>(a.mutable_data());
}

template <typename T>
int64_t cg_step_np(py::array x, py::array r, py::array p, py::array Ap, py::array rz, py::array thr2,
                   py::array iters, py::array budget, py::array active, py::array broke) {
  require_ndim(x, 2, "x");
  const int64_t B = x.shape(0), n = x.shape(1);
  T* xp = buffer<T>(x, "x", B * n, true);
  T* rp = buffer<T>(r, "r", B * n, true);
  T* pp = buffer<T>(p, "p", B * n, true);
  T* rzp = buffer<T>(rz, "rz", B, true);
  const T* thr = buffer<T>(thr2, "thr2", B, false);
  int64_t* it = buffer<int64_t>(iters, "iters", B, true);
  const int64_t* bud = buffer<int64_t>(budget, "budget", B, false);
  auto* act = reinterpret_cast<uint8_t*>(buffer<bool>(active, "active", B, true));
  auto* brk = reinterpret_cast<uint8_t*>(buffer<bool>(broke, "broke", B, true));
  // Ap: read only, rows may be strided (a view returned by the user's matvec)
  if (!py::isinstance<py::array_t<T>>(Ap) || Ap.ndim() != 2 || Ap.shape(0) != B || Ap.shape(1) != n ||
      (n > 1 && Ap.strides(1) != static_cast<py::ssize_t>(sizeof(T))) || Ap.strides(0) % sizeof(T) != 0) {
    throw std::invalid_argument("cg_step: Ap must be [B, n] of the solve's dtype with contiguous rows");
  }
  const T* ap = static_cast<const T*>(Ap.data());
  const int64_t ld = Ap.strides(0) / static_cast<int64_t>(sizeof(T));
  py::gil_scoped_release release;
  return cg_step<T>(B, n, xp, rp, pp, ap, ld, rzp, thr, it, bud, act, brk);
}

}  // namespace

void bind_krylov_update(py::module_& m) {
  const char* doc =
      "cg_step(x, r, p, Ap, rz, thr2, iters, budget, active, broke) -> members still active: one fused "
      "batched CG step after the matvec Ap = A p, in place (see csrc/krylov_update.hpp)";
  m.def("cg_step", &cg_step_np<double>, py::arg("x"), py::arg("r"), py::arg("p"), py::arg("Ap"), py::arg("rz"),
        py::arg("thr2"), py::arg("iters"), py::arg("budget"), py::arg("active"), py::arg("broke"), doc);
  m.def("cg_step_f32", &cg_step_np<float>, py::arg("x"), py::arg("r"), py::arg("p"), py::arg("Ap"), py::arg("rz"),
        py::arg("thr2"), py::arg("iters"), py::arg("budget"), py::arg("active"), py::arg("broke"), doc);
}

}  // namespace bigrad
