#include "shortest_path_interdiction.hpp"

#include <vector>

#include "batch.hpp"
#include "bigrad/shortest_path_interdiction.hpp"

namespace bigrad {

int64_t shortest_path_interdiction_workspace_bytes(int H, int W, int elem_size) {
  return (2 * int64_t(H + 2) * (W + 2) + int64_t(H) * W + grid_interdiction_scratch_size(H, W)) * elem_size;
}

template <typename T>
void shortest_path_interdiction_cpu(const T* z, const T* w, int64_t B, int H, int W, int neighbourhood, int budget,
                                    T* y, T* x, T* value) {
  const int64_t d = int64_t(H) * W, padded = int64_t(H + 2) * (W + 2);
  // a few dozen sweeps of a few passes each
  const double work = 64.0 * double(d);
  for_each_instance(
      B, work, [&] { return std::vector<T>(size_t(2 * padded + d + grid_interdiction_scratch_size(H, W))); },
      [&](int64_t b, std::vector<T>& s) {
        GridSweepWorkspace<T> ws{{s.data(), 1}, {s.data() + padded, 1}};
        const Lanes<T> cost{s.data() + 2 * padded, 1};
        value[b] = grid_interdiction<T>(z + b * d, w + b * d, H, W, neighbourhood, budget, ws, cost,
                                        s.data() + 2 * padded + d, y + b * d, x + b * d);
      });
}

template void shortest_path_interdiction_cpu<float>(const float*, const float*, int64_t, int, int, int, int, float*,
                                                    float*, float*);
template void shortest_path_interdiction_cpu<double>(const double*, const double*, int64_t, int, int, int, int,
                                                     double*, double*, double*);

}  // namespace bigrad
