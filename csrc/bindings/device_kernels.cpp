// Host runs of the per-instance kernels the CUDA drivers launch (one entry
// or one level at a time), so the CPU tests check the GPU's arithmetic
// against the production CPU solvers on any machine.
#include <stdexcept>
#include <vector>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bigrad/topk.hpp"
#include "bigrad/tsp_held_karp.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace bigrad {
namespace {

template <typename T>
py::tuple tsp_held_karp_levels_np(CArray<T> dist) {
  require_ndim(dist, 3, "dist");
  const auto B = dist.shape(0), n = dist.shape(1);
  if (dist.shape(2) != n || n < 2 || n > 20) throw std::invalid_argument("dist must be [B, n, n] with 2 <= n <= 20");
  auto mask = empty_array<T>({B, n, n});
  auto cost = empty_array<T>({B});
  const T* d = dist.data();
  T* mp = mask.mutable_data();
  T* cp = cost.mutable_data();
  {
    py::gil_scoped_release release;
    std::vector<T> work(static_cast<size_t>(tsp_workspace_size(int(n))));
    std::vector<int> succ(static_cast<size_t>(n));
    for (py::ssize_t b = 0; b < B; ++b) {
      cp[b] = tsp_held_karp_levels<T>(d + b * n * n, int(n), work.data(), succ.data());
      tsp_write_mask<T>(succ.data(), int(n), mp + b * n * n);
    }
  }
  return py::make_tuple(mask, cost);
}

template <typename T>
py::tuple topk_attacked_ranks_np(CArray<T> scores, int64_t k, int64_t q) {
  require_ndim(scores, 2, "scores");
  const auto B = scores.shape(0), m = scores.shape(1);
  if (q < 0 || q > k || k > m) throw std::invalid_argument("need 0 <= q <= k <= m");
  auto y = empty_array<T>({B, m});
  auto x = empty_array<T>({B, m});
  const T* s = scores.data();
  T* yp = y.mutable_data();
  T* xp = x.mutable_data();
  {
    py::gil_scoped_release release;
    for (py::ssize_t b = 0; b < B; ++b) {
      for (py::ssize_t i = 0; i < m; ++i) topk_attacked_entry<T>(s + b * m, m, i, k, q, yp + b * m, xp + b * m);
    }
  }
  return py::make_tuple(y, x);
}

}  // namespace

void bind_device_kernels(py::module_& m) {
  const char* tsp_doc =
      "tsp_held_karp_levels(dist[B,n,n]) -> (mask, cost): Held-Karp filled level by level on one thread, "
      "the per-entry code of the CUDA driver (n <= 20; for tests)";
  m.def("tsp_held_karp_levels", &tsp_held_karp_levels_np<float>, py::arg("dist"), tsp_doc);
  m.def("tsp_held_karp_levels", &tsp_held_karp_levels_np<double>, py::arg("dist"), tsp_doc);
  m.def(
      "tsp_level_sets",
      [](int m_, int c) {
        if (m_ < 0 || m_ > 20 || c < 0 || c > m_) throw std::invalid_argument("need 0 <= c <= m <= 20");
        std::vector<uint32_t> sets;
        for (int64_t r = 0; r < tsp_binomial(m_, c); ++r) sets.push_back(tsp_level_set(m_, c, r));
        return sets;
      },
      py::arg("m"), py::arg("c"), "the sets of c cities among m in the order the CUDA driver's threads take them");
  const char* topk_doc =
      "topk_attacked_ranks(scores[B,m], k, q) -> (y, x): the rank-per-entry code of the CUDA driver (O(m^2); "
      "for tests)";
  m.def("topk_attacked_ranks", &topk_attacked_ranks_np<float>, py::arg("scores"), py::arg("k"), py::arg("q"), topk_doc);
  m.def("topk_attacked_ranks", &topk_attacked_ranks_np<double>, py::arg("scores"), py::arg("k"), py::arg("q"),
        topk_doc);
}

}  // namespace bigrad
