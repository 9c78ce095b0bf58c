#include "../shortest_path.hpp"

#include <limits>
#include <new>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"
#include "recycled_arrays.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

template <typename T>
py::tuple shortest_path_np(CArray<T> weights, int neighbourhood, bool want_edges) {
  require_ndim(weights, 3, "weights");
  if (neighbourhood != 4 && neighbourhood != 8) throw std::invalid_argument("neighbourhood must be 4 or 8");
  const auto B = weights.shape(0), H = weights.shape(1), W = weights.shape(2);
  auto mask = recycled_array<T>({B, H, W});  // every element is written natively
  auto cost = empty_array<T>({B});
  py::object edges = py::none();
  T* edges_ptr = nullptr;
  if (want_edges) {
    auto e = recycled_array<T>({B, H, W, neighbourhood});
    edges_ptr = e.mutable_data();
    edges = e;
  }
  const T* w = weights.data();
  T* m = mask.mutable_data();
  T* c = cost.mutable_data();
  try {
    py::gil_scoped_release release;
    shortest_path_cpu<T>(w, B, int(H), int(W), neighbourhood, m, c, edges_ptr);
  } catch (const std::bad_alloc&) {
    const double need = shortest_path_workspace_bytes(B, int(H), int(W), int(sizeof(T)));
    PyErr_SetString(PyExc_MemoryError, ("weights: out of memory allocating the shortest-path workspace (up to " +
                                        std::to_string(int64_t(need)) + " bytes); solve a smaller batch")
                                           .c_str());
    throw py::error_already_set();
  }
  // 0: every cost finite; 1: a cost overflows (+inf); 2: invalid weights (NaN cost)
  int status = 0;
  for (py::ssize_t b = 0; b < B; ++b) {
    if (c[b] != c[b]) {
      status = 2;
      break;
    }
    if (!(c[b] < std::numeric_limits<T>::infinity())) status = 1;
  }
  return py::make_tuple(mask, cost, edges, status);
}

}  // namespace

void bind_shortest_path(py::module_& m) {
  const char* doc =
      "shortest_path(weights[B,H,W], neighbourhood, want_edges) -> (mask[B,H,W], cost[B], edges[B,H,W,K] | None, "
      "status): status 0 = all costs finite, 1 = a cost overflows, 2 = invalid weights (NaN cost)";
  m.def("shortest_path", &shortest_path_np<float>, py::arg("weights"), py::arg("neighbourhood"),
        py::arg("want_edges"), doc);
  m.def("shortest_path", &shortest_path_np<double>, py::arg("weights"), py::arg("neighbourhood"),
        py::arg("want_edges"), doc);
  m.def("shortest_path_workspace_bytes", &shortest_path_workspace_bytes, py::arg("B"), py::arg("H"), py::arg("W"),
        py::arg("elem_size"), "bytes of native workspace shortest_path allocates at most (outputs not counted)");
}

}  // namespace bigrad
