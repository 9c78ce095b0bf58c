// bigrad._core: batched CPU solvers. No torch here: arrays come as numpy buffers.
#include <pybind11/pybind11.h>

#include "bindings.hpp"

#ifdef BIGRAD_OPENMP
#include <omp.h>
#endif

#ifndef BIGRAD_VERSION
#define BIGRAD_VERSION "dev"
#endif

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "bigrad native CPU kernels";
  m.def("build_info", [] {
    py::dict d;
    d["version"] = BIGRAD_VERSION;
#ifdef BIGRAD_OPENMP
    d["openmp"] = true;
#else
    d["openmp"] = false;
#endif
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
  m.def("set_num_threads", [](int n) {
#ifdef BIGRAD_OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
  });
  m.def("get_num_threads", [] {
#ifdef BIGRAD_OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
  });
  bigrad::bind_shortest_path(m);
  bigrad::bind_tsp(m);
}
