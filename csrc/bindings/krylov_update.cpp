#include "../krylov_update.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../krylov_pipeline.hpp"
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

// The arrays are the caller's own buffers, updated in place: no conversion may copy them.
template <typename T>
T* buffer(py::array& a, const char* name, int64_t size, bool write) {
  if (!py::isinstance<py::array_t<T>>(a) || !(a.flags() & py::array::c_style) || (write && !a.writeable()) ||
      a.size() != size) {
    throw std::invalid_argument(std::string("cg_step: ") + name + " must be a " + (write ? "writable " : "") +
                                "C-contiguous array of " + std::to_string(size) + " entries of the right dtype");
  }
  return static_cast<T*>(a.mutable_data());
}

// Ap as cg_step reads it: [rows, n] of T with contiguous rows; returns the row stride.
template <typename T>
int64_t ap_rows(const py::array& Ap, int64_t rows, int64_t n, const char* who) {
  if (!py::isinstance<py::array_t<T>>(Ap) || Ap.ndim() != 2 || Ap.shape(0) != rows || Ap.shape(1) != n ||
      (n > 1 && Ap.strides(1) != static_cast<py::ssize_t>(sizeof(T))) || Ap.strides(0) % sizeof(T) != 0) {
    throw std::invalid_argument(std::string(who) + ": Ap must be [" + std::to_string(rows) + ", " +
                                std::to_string(n) + "] of the solve's dtype with contiguous rows");
  }
  return Ap.strides(0) / static_cast<int64_t>(sizeof(T));
}

// The solve's state arrays, checked: the caller's own buffers, updated in place.
template <typename T>
CgArrays<T> cg_arrays(py::array& x, py::array& r, py::array& p, py::array& rz, py::array& thr2, py::array& iters,
                      py::array& budget, py::array& active, py::array& broke) {
  require_ndim(x, 2, "x");
  CgArrays<T> a;
  a.B = x.shape(0);
  a.n = x.shape(1);
  const int64_t B = a.B, n = a.n;
  a.x = buffer<T>(x, "x", B * n, true);
  a.r = buffer<T>(r, "r", B * n, true);
  a.p = buffer<T>(p, "p", B * n, true);
  a.rz = buffer<T>(rz, "rz", B, true);
  a.thr2 = buffer<T>(thr2, "thr2", B, false);
  a.iters = buffer<int64_t>(iters, "iters", B, true);
  a.budget = buffer<int64_t>(budget, "budget", B, false);
  a.active = reinterpret_cast<uint8_t*>(buffer<bool>(active, "active", B, true));
  a.broke = reinterpret_cast<uint8_t*>(buffer<bool>(broke, "broke", B, true));
  return a;
}

// CgPipeline for Python: keeps the state arrays alive as long as its workers may touch them.
template <typename T>
class PyCgPipeline {
 public:
  PyCgPipeline(py::array x, py::array r, py::array p, py::array rz, py::array thr2, py::array iters,
               py::array budget, py::array active, py::array broke, std::vector<int64_t> bounds, int workers)
      : keep_{x, r, p, rz, thr2, iters, budget, active, broke} {
    const CgArrays<T> a = cg_arrays<T>(x, r, p, rz, thr2, iters, budget, active, broke);
    if (bounds.size() < 2 || bounds.front() != 0 || bounds.back() != a.B) {
      throw std::invalid_argument("CgPipeline: bounds must run from 0 to B = " + std::to_string(a.B));
    }
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      if (bounds[c + 1] <= bounds[c]) throw std::invalid_argument("CgPipeline: bounds must increase");
    }
    if (workers < 1) throw std::invalid_argument("CgPipeline: workers must be >= 1");
    pipe_ = std::make_unique<CgPipeline<T>>(a, std::move(bounds), workers);
    held_.resize(size_t(pipe_->chunks()));
  }
  ~PyCgPipeline() { close(); }

  void submit(int64_t c, py::array Ap) {
    check_chunk(c);
    const int64_t ld = ap_rows<T>(Ap, pipe_->rows(c), pipe_->n(), "CgPipeline.submit");
    held_[size_t(c)].push_back(Ap);  // released by wait(c), once the step has read it
    pipe_->submit(c, static_cast<const T*>(Ap.data()), ld);
  }

  int64_t wait(int64_t c) {
    check_chunk(c);
    int64_t live;
    {
      py::gil_scoped_release release;
      live = pipe_->wait(c);
    }
    held_[size_t(c)].clear();
    return live;
  }

  double step_seconds() const { return pipe_ ? pipe_->step_seconds() : 0.0; }

  // Finishes the queued steps and stops the workers (also on destruction).
  void close() {
    if (!pipe_) return;
    {
      py::gil_scoped_release release;
      pipe_.reset();
    }
    held_.clear();
  }

 private:
  // An open pipeline and a chunk of it.
  void check_chunk(int64_t c) const {
    if (!pipe_) throw std::invalid_argument("CgPipeline: closed");
    if (c < 0 || c >= pipe_->chunks()) {
      throw std::invalid_argument("CgPipeline: chunk " + std::to_string(c) + " out of range");
    }
  }
  std::vector<py::array> keep_;
  std::vector<std::vector<py::array>> held_;
  std::unique_ptr<CgPipeline<T>> pipe_;
};

template <typename T>
void bind_pipeline(py::module_& m, const char* name) {
  py::class_<PyCgPipeline<T>>(m, name,
                              "Fused CG steps of row chunks on worker threads, overlapping the caller's matvecs "
                              "(see csrc/krylov_pipeline.hpp)")
      .def(py::init<py::array, py::array, py::array, py::array, py::array, py::array, py::array, py::array,
                    py::array, std::vector<int64_t>, int>(),
           py::arg("x"), py::arg("r"), py::arg("p"), py::arg("rz"), py::arg("thr2"), py::arg("iters"),
           py::arg("budget"), py::arg("active"), py::arg("broke"), py::arg("bounds"), py::arg("workers"))
      .def("submit", &PyCgPipeline<T>::submit, py::arg("chunk"), py::arg("Ap"),
           "queue chunk's CG step after its matvec Ap ([rows, n]); Ap is kept until wait(chunk)")
      .def("wait", &PyCgPipeline<T>::wait, py::arg("chunk"),
           "wait for chunk's queued steps (GIL released); returns its rows still active")
      .def("step_seconds", &PyCgPipeline<T>::step_seconds, "seconds the workers spent in steps so far")
      .def("close", &PyCgPipeline<T>::close, "finish the queued steps and stop the workers");
}

template <typename T>
int64_t cg_step_np(py::array x, py::array r, py::array p, py::array Ap, py::array rz, py::array thr2,
                   py::array iters, py::array budget, py::array active, py::array broke) {
  const CgArrays<T> a = cg_arrays<T>(x, r, p, rz, thr2, iters, budget, active, broke);
  const int64_t ld = ap_rows<T>(Ap, a.B, a.n, "cg_step");
  const T* ap = static_cast<const T*>(Ap.data());
  py::gil_scoped_release release;
  return cg_step<T>(a.B, a.n, a.x, a.r, a.p, ap, ld, a.rz, a.thr2, a.iters, a.budget, a.active, a.broke);
}

}  // namespace

void bind_krylov_update(py::module_& m) {
  const char* doc =
      "cg_step(x, r, p, Ap, rz, thr2, iters, budget, active, broke) -> members still active: one fused "
      "batched CG step after the matvec Ap = A p, in place (see csrc/krylov_update.hpp)";
  m.def("cg_step", &cg_step_np<double>, py::arg("x"), py::arg("r"), py::arg("p"), py::arg("Ap"), py::arg("rz"),
        py::arg("thr2"), py::arg("iters"), py::arg("budget"), py::arg("active"), py::arg("broke"), doc);
  m.def("cg_step_f32", &cg_step_np<float>, py::arg("x"), py::arg("r"), py::arg("p"), py::arg("Ap"), py::arg("rz"),
        py::arg("thr2"), py::arg("iters"), py::arg("budget"), py::arg("active"), py::arg("broke"), doc);
  bind_pipeline<double>(m, "CgPipeline");
  bind_pipeline<float>(m, "CgPipelineF32");
}

}  // namespace bigrad
