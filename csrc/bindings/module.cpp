// bigrad._core: batched CPU solvers. No torch here: arrays come as numpy buffers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdlib>

#include "../batch.hpp"
#include "../isa.hpp"
#include "bindings.hpp"

#ifndef BIGRAD_VERSION
#define BIGRAD_VERSION "dev"
#endif

namespace py = pybind11;

namespace {

// Polled by the thread that called into native code (GIL released): raises
// KeyboardInterrupt (or whatever the signal handler raises) in Python.
bool check_python_signals() {
  py::gil_scoped_acquire gil;
  return PyErr_CheckSignals() != 0;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "bigrad native CPU kernels";
  bigrad::set_interrupt_hook(&check_python_signals);
  // BIGRAD_ISA=auto|scalar|sse2|avx2|avx512|neon forces one kernel set (tests compare them)
  const char* isa = std::getenv("BIGRAD_ISA");
  bigrad::select_isa(isa ? isa : "");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const bigrad::Interrupted&) {
      // the hook left the signal handler's exception set; keep it
      if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
  m.def("build_info", [] {
    py::dict d;
    d["version"] = BIGRAD_VERSION;
    d["threads"] = bigrad::num_threads();
#ifdef BIGRAD_MARCH_NATIVE
    d["march_native"] = true;
#else
    d["march_native"] = false;
#endif
    d["isa"] = bigrad::isa_name();
    d["isa_available"] = bigrad::isa_available();
    d["simd"] = bigrad::isa_name();
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
  m.def("set_isa", [](const std::string& name) { bigrad::select_isa(name); },
        "choose the kernels' instruction set (as BIGRAD_ISA); for tests and benchmarks");
  bigrad::bind_shortest_path(m);
  bigrad::bind_tsp(m);
}
