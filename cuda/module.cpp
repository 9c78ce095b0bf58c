// bigrad._cuda: CUDA kernels taking raw device pointers. Never links torch.
#include <pybind11/pybind11.h>

#include "launch.hpp"

#ifndef BIGRAD_VERSION
#define BIGRAD_VERSION "dev"
#endif

namespace py = pybind11;
namespace bc = bigrad::cuda;

PYBIND11_MODULE(_cuda, m) {
  m.doc() = "bigrad CUDA kernels (pointers in, no torch linkage)";
  m.def("build_info", [] {
    const auto rt = bc::runtime_info();
    py::dict d;
    d["version"] = BIGRAD_VERSION;
    d["runtime_version"] = rt.runtime_version;
    d["device_count"] = rt.device_count;
    return d;
  });
  m.def("shortest_path_workspace_bytes", &bc::shortest_path_workspace_bytes, py::arg("B"), py::arg("H"),
        py::arg("W"), py::arg("elem_size"));
  m.def(
      "shortest_path",
      [](uintptr_t w, int64_t B, int H, int W, int nbh, int elem_size, uintptr_t mask, uintptr_t cost,
         uintptr_t edges, uintptr_t workspace, uintptr_t stream) {
        py::gil_scoped_release release;
        bc::shortest_path(w, B, H, W, nbh, elem_size, mask, cost, edges, workspace, stream);
      },
      py::arg("w"), py::arg("B"), py::arg("H"), py::arg("W"), py::arg("neighbourhood"), py::arg("elem_size"),
      py::arg("mask"), py::arg("cost"), py::arg("edges"), py::arg("workspace"), py::arg("stream"));
  m.def("shortest_path_interdiction_workspace_bytes", &bc::shortest_path_interdiction_workspace_bytes, py::arg("B"),
        py::arg("H"), py::arg("W"), py::arg("elem_size"));
  m.def(
      "shortest_path_interdiction",
      [](uintptr_t z, uintptr_t w, int64_t B, int H, int W, int nbh, int budget, int elem_size, uintptr_t y,
         uintptr_t x, uintptr_t value, uintptr_t workspace, uintptr_t stream) {
        py::gil_scoped_release release;
        bc::shortest_path_interdiction(z, w, B, H, W, nbh, budget, elem_size, y, x, value, workspace, stream);
      },
      py::arg("z"), py::arg("w"), py::arg("B"), py::arg("H"), py::arg("W"), py::arg("neighbourhood"),
      py::arg("budget"), py::arg("elem_size"), py::arg("y"), py::arg("x"), py::arg("value"), py::arg("workspace"),
      py::arg("stream"));
  m.def("graph_shortest_path_workspace_bytes", &bc::graph_shortest_path_workspace_bytes, py::arg("B"), py::arg("n"),
        py::arg("elem_size"));
  m.def(
      "graph_shortest_path",
      [](uintptr_t ptr, uintptr_t dst, uintptr_t src, uintptr_t order, uintptr_t in_ptr, uintptr_t in_src,
         uintptr_t in_eid, int32_t n, int64_t E, uintptr_t w, int64_t B, uintptr_t source, uintptr_t target,
         uintptr_t init, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace, uintptr_t stream) {
        const bc::GraphDevice g{reinterpret_cast<const int64_t*>(ptr),    reinterpret_cast<const int32_t*>(dst),
                                reinterpret_cast<const int32_t*>(src),    reinterpret_cast<const int32_t*>(order),
                                reinterpret_cast<const int64_t*>(in_ptr), reinterpret_cast<const int32_t*>(in_src),
                                reinterpret_cast<const int64_t*>(in_eid), n,
                                E};
        py::gil_scoped_release release;
        bc::graph_shortest_path(g, w, B, source, target, init, elem_size, mask, cost, workspace, stream);
      },
      py::arg("ptr"), py::arg("dst"), py::arg("src"), py::arg("order"), py::arg("in_ptr"), py::arg("in_src"),
      py::arg("in_eid"), py::arg("n"), py::arg("E"), py::arg("w"),
      py::arg("B"), py::arg("source"), py::arg("target"), py::arg("init"), py::arg("elem_size"), py::arg("mask"),
      py::arg("cost"), py::arg("workspace"), py::arg("stream"));
  m.attr("tsp_max_n") = bc::kTspCudaMaxN;
  m.def("tsp_global_slices", &bc::tsp_global_slices, py::arg("B"), py::arg("n"), py::arg("elem_size"));
  m.def("tsp_slice_bytes", &bc::tsp_slice_bytes, py::arg("n"), py::arg("elem_size"));
  m.def(
      "tsp",
      [](uintptr_t dist, int64_t B, int n, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace,
         int64_t slices, uintptr_t stream) {
        py::gil_scoped_release release;
        bc::tsp(dist, B, n, elem_size, mask, cost, workspace, slices, stream);
      },
      py::arg("dist"), py::arg("B"), py::arg("n"), py::arg("elem_size"), py::arg("mask"), py::arg("cost"),
      py::arg("workspace"), py::arg("slices"), py::arg("stream"));
  m.attr("topk_max_m") = bc::kTopkMaxM;
  m.def(
      "topk_attacked",
      [](uintptr_t scores, int64_t B, int64_t m_, int64_t k, int64_t q, int elem_size, uintptr_t y, uintptr_t x,
         uintptr_t stream) {
        py::gil_scoped_release release;
        bc::topk_attacked(scores, B, m_, k, q, elem_size, y, x, stream);
      },
      py::arg("scores"), py::arg("B"), py::arg("m"), py::arg("k"), py::arg("q"), py::arg("elem_size"), py::arg("y"),
      py::arg("x"), py::arg("stream"));
}
