#include "../graph_interdiction.hpp"

#include <new>

#include "arrays.hpp"
#include "bindings.hpp"
#include "graph_structure.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

py::tuple interdict_np(py::tuple graph, CArray<double> z, CArray<double> w, int budget, int32_t source,
                       int32_t target, double gap_tol) {
  const graph_structure::Structure st = graph_structure::structure(graph);
  const GraphArrays g = st.view();
  if (st.in_ptr.size() == 0) throw std::invalid_argument("graph: the interdiction needs 7 arrays");
  require_ndim(z, 2, "z");
  require_ndim(w, 2, "w");
  const auto B = z.shape(0);
  if (z.shape(1) != g.E || w.shape(0) != B || w.shape(1) != g.E) throw std::invalid_argument("z, w: inconsistent shapes");
  if (source < 0 || source >= g.n || target < 0 || target >= g.n) throw std::invalid_argument("source/target out of range");
  if (budget < 0) throw std::invalid_argument("budget must be >= 0");
  auto x = empty_array<uint8_t>({B, py::ssize_t(g.E)});
  auto value = empty_array<double>({B});
  auto nodes = empty_array<int64_t>({B});
  const double* zp = z.data();
  const double* wp = w.data();
  uint8_t* xp = x.mutable_data();
  double* vp = value.mutable_data();
  int64_t* np_ = nodes.mutable_data();
  try {
    py::gil_scoped_release release;
    graph_interdiction_cpu(g, zp, wp, B, budget, source, target, gap_tol, xp, vp, np_);
  } catch (const std::bad_alloc&) {
    PyErr_SetString(PyExc_MemoryError, "z: out of memory in the interdiction search; solve a smaller batch");
    throw py::error_already_set();
  }
  return py::make_tuple(x, value, nodes);
}

}  // namespace

void bind_graph_interdiction(py::module_& m) {
  m.def("graph_interdiction", &interdict_np, py::arg("graph"), py::arg("z"), py::arg("w"), py::arg("budget"),
        py::arg("source"), py::arg("target"), py::arg("gap_tol"),
        "graph_interdiction(graph (7 arrays), z[B,E] f64, w[B,E] f64, budget, source, target, gap_tol) -> "
        "(x[B,E] uint8, value[B], nodes[B]): interdictor-first shortest-path interdiction, edges in CSR order");
}

}  // namespace bigrad
