// Registration functions, one per op, called from module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace bigrad {
void bind_shortest_path(pybind11::module_& m);
void bind_tsp(pybind11::module_& m);
void bind_shortest_path_interdiction(pybind11::module_& m);
void bind_device_kernels(pybind11::module_& m);
void bind_krylov_update(pybind11::module_& m);
void bind_graph_shortest_path(pybind11::module_& m);
void bind_graph_interdiction(pybind11::module_& m);
void bind_krylov_csr(pybind11::module_& m);
}  // namespace bigrad
