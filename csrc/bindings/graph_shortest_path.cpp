#include "../graph_shortest_path.hpp"

#include <limits>
#include <new>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "graph_structure.hpp"
#include "recycled_arrays.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {
using graph_structure::Structure;
using graph_structure::structure;

[[noreturn]] void out_of_memory(const char* what) {
  PyErr_SetString(PyExc_MemoryError, (std::string("weights: out of memory allocating the ") + what +
                                      " workspace; solve a smaller batch")
                                         .c_str());
  throw py::error_already_set();
}

template <typename T>
py::tuple paths_np(py::tuple graph, CArray<T> weights, CArray<int32_t> source, CArray<int32_t> target,
                   std::optional<CArray<T>> init) {
  const Structure st = structure(graph);
  const GraphArrays g = st.view();
  if (g.in_ptr == nullptr || st.in_ptr.size() == 0) throw std::invalid_argument("graph: the paths need 7 arrays");
  require_ndim(weights, 2, "weights");
  const auto B = weights.shape(0);
  if (weights.shape(1) != g.E || source.shape(0) != B || target.shape(0) != B || (init && init->shape(0) != B))
    throw std::invalid_argument("weights, source, target: inconsistent shapes");
  for (py::ssize_t b = 0; b < B; ++b)
    if (source.data()[b] < 0 || source.data()[b] >= g.n || target.data()[b] < 0 || target.data()[b] >= g.n)
      throw std::invalid_argument("source/target out of range");
  auto mask = recycled_array<T>({B, py::ssize_t(g.E)});  // every row is written natively
  auto cost = empty_array<T>({B});
  auto status = empty_array<int8_t>({B});
  const T* w = weights.data();
  const int32_t* s = source.data();
  const int32_t* t = target.data();
  const T* i0 = init ? init->data() : nullptr;
  T* m = mask.mutable_data();
  T* c = cost.mutable_data();
  int8_t* st_out = status.mutable_data();
  try {
    py::gil_scoped_release release;
    graph_shortest_path_cpu<T>(g, w, B, s, t, i0, m, c, st_out);
  } catch (const std::bad_alloc&) {
    out_of_memory("shortest-path");
  }
  return py::make_tuple(mask, cost, status);
}

template <typename T>
py::object dijkstra_np(py::tuple graph, CArray<T> weights, CArray<int32_t> sources, bool min_only, double limit) {
  const Structure st = structure(graph);
  const GraphArrays g = st.view();
  require_ndim(weights, 2, "weights");
  const auto B = weights.shape(0);
  const auto S = sources.shape(0);
  if (weights.shape(1) != g.E) throw std::invalid_argument("weights: one value per edge expected");
  for (py::ssize_t i = 0; i < S; ++i)
    if (sources.data()[i] < 0 || sources.data()[i] >= g.n) throw std::invalid_argument("indices out of range");
  const py::ssize_t rows = min_only ? 1 : S;
  auto dist = empty_array<T>({B, rows, py::ssize_t(g.n)});
  auto pred = empty_array<int32_t>({B, rows, py::ssize_t(g.n)});
  auto origin = empty_array<int32_t>({B, py::ssize_t(g.n)});
  bool ok = true;
  const T* w = weights.data();
  const int32_t* src = sources.data();
  T* d = dist.mutable_data();
  int32_t* p = pred.mutable_data();
  int32_t* o = origin.mutable_data();
  try {
    py::gil_scoped_release release;
    ok = graph_dijkstra_cpu<T>(g, w, B, src, int(S), min_only, T(limit), d, p, o);
  } catch (const std::bad_alloc&) {
    out_of_memory("Dijkstra");
  }
  if (!ok) return py::none();
  return py::make_tuple(dist, pred, origin);
}

}  // namespace

void bind_graph_shortest_path(py::module_& m) {
  const char* doc =
      "graph_shortest_path(graph, weights[B,E], source[B], target[B], init[B] | None) -> (mask[B,E], cost[B], "
      "status[B]): status 0 = path found, 1 = unreachable, 2 = bad weights, 3 = overflow";
  m.def("graph_shortest_path", &paths_np<float>, py::arg("graph"), py::arg("weights"), py::arg("source"),
        py::arg("target"), py::arg("init"), doc);
  m.def("graph_shortest_path", &paths_np<double>, py::arg("graph"), py::arg("weights"), py::arg("source"),
        py::arg("target"), py::arg("init"), doc);
  const char* ddoc =
      "graph_dijkstra(graph, weights[B,E], sources[S], min_only, limit) -> (dist[B,S|1,n], pred[B,S|1,n], "
      "origin[B,n]) or None for a negative or NaN weight";
  m.def("graph_dijkstra", &dijkstra_np<float>, py::arg("graph"), py::arg("weights"), py::arg("sources"),
        py::arg("min_only"), py::arg("limit"), ddoc);
  m.def("graph_dijkstra", &dijkstra_np<double>, py::arg("graph"), py::arg("weights"), py::arg("sources"),
        py::arg("min_only"), py::arg("limit"), ddoc);
  m.def("graph_max_passes", &graph_max_passes, py::arg("n"), "pull passes a lane takes before Dijkstra finishes it");
}

}  // namespace bigrad
