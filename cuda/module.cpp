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
}
