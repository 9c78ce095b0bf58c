// bigrad._core: batched CPU solvers. No torch here: arrays come as numpy buffers.
#include <pybind11/pybind11.h>

#include "../batch.hpp"
#include "bindings.hpp"

#ifndef BIGRAD_VERSION
#define BIGRAD_VERSION "dev"
#endif

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "bigrad native CPU kernels";
  m.def("build_info", [] {
    py::dict d;
    d["version"] = BIGRAD_VERSION;
    d["threads"] = bigrad::num_threads();
#ifdef BIGRAD_MARCH_NATIVE
    d["march_native"] = true;
#else
    d["march_native"] = false;
#endif
#if defined(__AVX__)
    d["simd"] = "avx";
#else
    d["simd"] = "sse2";
#endif
#if defined(__clang__)
    d["compiler"] = "clang " __clang_version__;
#elif defined(__GNUC__)
    d["compiler"] = "gcc " __VERSION__;
#else
    d["compiler"] = "unknown";
#endif
    return d;
  });
  m.def("set_num_threads", [](int n) { bigrad::set_num_threads(n); });
  m.def("get_num_threads", [] { return bigrad::num_threads(); });
  bigrad::bind_shortest_path(m);
  bigrad::bind_tsp(m);
}
