#include "../shortest_path_interdiction.hpp"

#include <stdexcept>

#include "arrays.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

template <typename T>
py::tuple shortest_path_interdiction_np(CArray<T> z, CArray<T> w, int budget, int neighbourhood) {
  require_ndim(z, 3, "z");
  require_ndim(w, 3, "w");
  if (neighbourhood != 4 && neighbourhood != 8) throw std::invalid_argument("neighbourhood must be 4 or 8");
  if (budget < 0) throw std::invalid_argument("budget must be >= 0");
  const auto B = z.shape(0), H = z.shape(1), W = z.shape(2);
  if (w.shape(0) != B || w.shape(1) != H || w.shape(2) != W) throw std::invalid_argument("z and w differ in shape");
  auto y = empty_array<T>({B, H, W});
  auto x = empty_array<T>({B, H, W});
  auto value = empty_array<T>({B});
  const T* zp = z.data();
  const T* wp = w.data();
  T* yp = y.mutable_data();
  T* xp = x.mutable_data();
  T* vp = value.mutable_data();
  {
    py::gil_scoped_release release;
    shortest_path_interdiction_cpu<T>(zp, wp, B, int(H), int(W), neighbourhood, budget, yp, xp, vp);
  }
  return py::make_tuple(y, x, value);
}

}  // namespace

void bind_shortest_path_interdiction(py::module_& m) {
  const char* doc =
      "shortest_path_interdiction(z[B,H,W], w[B,H,W], budget, neighbourhood) -> (y[B,H,W], x[B,H,W], value[B]); "
      "value +inf where a path cost overflows";
  m.def("shortest_path_interdiction", &shortest_path_interdiction_np<float>, py::arg("z"), py::arg("w"),
        py::arg("budget"), py::arg("neighbourhood"), doc);
  m.def("shortest_path_interdiction", &shortest_path_interdiction_np<double>, py::arg("z"), py::arg("w"),
        py::arg("budget"), py::arg("neighbourhood"), doc);
  m.def("shortest_path_interdiction_workspace_bytes", &shortest_path_interdiction_workspace_bytes, py::arg("H"),
        py::arg("W"), py::arg("elem_size"), "workspace bytes one thread needs for an H x W instance");
}

}  // namespace bigrad
