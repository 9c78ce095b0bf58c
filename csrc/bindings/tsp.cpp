#include "../tsp.hpp"

#include <string>

#include "arrays.hpp"
#include "bigrad/tsp.hpp"
#include "bigrad/tsp_branch_bound.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

template <typename T>
py::tuple tsp_np(CArray<T> dist, int64_t node_limit) {
  require_ndim(dist, 3, "dist");
  const auto B = dist.shape(0), n = dist.shape(1);
  if (dist.shape(2) != n) throw std::invalid_argument("dist must be square in its last two axes");
  if (n < 2 || n > kTspMaxN) {
    throw std::invalid_argument("dist must have between 2 and " + std::to_string(kTspMaxN) + " cities, got " +
                                std::to_string(n));
  }
  auto mask = empty_array<T>({B, n, n});
  auto cost = empty_array<T>({B});
  const T* d = dist.data();
  T* m = mask.mutable_data();
  T* c = cost.mutable_data();
  {
    py::gil_scoped_release release;
    tsp_cpu<T>(d, B, int(n), m, c, node_limit);
  }
  return py::make_tuple(mask, cost);
}

}  // namespace

void bind_tsp(py::module_& m) {
  const char* doc =
      "tsp(dist[B,n,n]) -> (mask[B,n,n] directed tour edges, cost[B]); exact: Held-Karp, or branch and bound "
      "on 1-tree bounds for symmetric instances of at least tsp_branch_bound_min_n cities; node_limit > 0: a "
      "branch-and-bound instance needing more nodes gets cost inf (its mask: the best tour found)";
  m.def("tsp", &tsp_np<float>, py::arg("dist"), py::arg("node_limit") = 0, doc);
  m.def("tsp", &tsp_np<double>, py::arg("dist"), py::arg("node_limit") = 0, doc);
  m.def("tsp_workspace_bytes", &tsp_workspace_bytes, py::arg("n"), py::arg("symmetric"), py::arg("value_bytes"),
        "workspace bytes one thread needs for an instance of n cities");
  m.attr("tsp_branch_bound_min_n") = kTspBbMinN;
  m.attr("tsp_max_n") = kTspMaxN;
}

}  // namespace bigrad
