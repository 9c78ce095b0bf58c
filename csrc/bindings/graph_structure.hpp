// The graph structure arrays the native solvers take, as bigrad.graphs.Graph
// holds them (Graph.native / Graph.native_out; checked there).
#pragma once

#include <limits>
#include <optional>
#include <stdexcept>

#include "../graph_shortest_path.hpp"
#include "arrays.hpp"

namespace bigrad {
namespace graph_structure {

namespace py = pybind11;

// The structure arrays, as bigrad.graphs.Graph holds them (checked there).
struct Structure {
  CArray<int64_t> out_ptr;
  CArray<int32_t> out_dst, edge_src;
  std::optional<CArray<int32_t>> order;
  CArray<int64_t> in_ptr;
  CArray<int32_t> in_src;
  CArray<int64_t> in_eid;

  GraphArrays view() const {
    const auto n = out_ptr.shape(0) - 1;
    const auto E = out_dst.shape(0);
    const bool with_in = in_ptr.size() > 0;  // the 3-array form (Dijkstra) has no in-edge CSR
    if (n < 0 || n > std::numeric_limits<int32_t>::max() || edge_src.shape(0) != E ||
        (order && order->shape(0) != n) ||
        (with_in && (in_ptr.shape(0) != n + 1 || in_src.shape(0) != E || in_eid.shape(0) != E)))
      throw std::invalid_argument("graph: inconsistent structure arrays");
    return GraphArrays{int32_t(n),      int64_t(E),    out_ptr.data(), out_dst.data(),
                       edge_src.data(), order ? order->data() : nullptr,
                       in_ptr.data(),   in_src.data(), in_eid.data(),  bool(order)};
  }
};

// (out_ptr, out_dst, edge_src) for Dijkstra, or those, the order and the in-edge CSR for the paths.
inline Structure structure(py::tuple t) {
  if (t.size() != 3 && t.size() != 7) throw std::invalid_argument("graph: expected 3 or 7 structure arrays");
  const bool full = t.size() == 7;
  Structure s{t[0].cast<CArray<int64_t>>(),
              t[1].cast<CArray<int32_t>>(),
              t[2].cast<CArray<int32_t>>(),
              std::nullopt,
              full ? t[4].cast<CArray<int64_t>>() : CArray<int64_t>(0),
              full ? t[5].cast<CArray<int32_t>>() : CArray<int32_t>(0),
              full ? t[6].cast<CArray<int64_t>>() : CArray<int64_t>(0)};
  if (full && !t[3].is_none()) s.order = t[3].cast<CArray<int32_t>>();
  return s;
}

}  // namespace graph_structure
}  // namespace bigrad
