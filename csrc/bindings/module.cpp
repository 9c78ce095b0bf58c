// bigrad._core: batched CPU solvers. No torch here: arrays come as numpy buffers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

// Exercises the pool for the tests: `items` items, each sleeping sleep_us and
// returning its index squared; item throw_at throws ("runtime" -> RuntimeError,
// "bad_alloc" -> MemoryError). Returns the sum (independent of the threads).
double pool_selftest(int64_t items, double work_per_item, int64_t throw_at, const std::string& kind, int sleep_us) {
  std::vector<double> out(static_cast<size_t>(items), 0.0);
  {
    py::gil_scoped_release release;
    bigrad::for_each_instance(
        items, work_per_item, [] { return 0; },
        [&](int64_t b, int&) {
          if (sleep_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
          if (b == throw_at) {
            if (kind == "bad_alloc") throw std::bad_alloc();
            throw std::runtime_error("selftest failure at item " + std::to_string(b));
          }
          out[size_t(b)] = double(b) * double(b);
        });
  }
  double sum = 0;
  for (double v : out) sum += v;
  return sum;
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
  m.def("_pool_selftest", &pool_selftest, py::arg("items"), py::arg("work_per_item"), py::arg("throw_at") = -1,
        py::arg("kind") = "runtime", py::arg("sleep_us") = 0, "thread-pool self test (tests only)");
  bigrad::bind_shortest_path(m);
  bigrad::bind_tsp(m);
  bigrad::bind_shortest_path_interdiction(m);
  bigrad::bind_device_kernels(m);
  bigrad::bind_krylov_update(m);
  bigrad::bind_graph_shortest_path(m);
  bigrad::bind_graph_interdiction(m);
  bigrad::bind_krylov_csr(m);
}
