#include "shortest_path.hpp"

#include <algorithm>

#include "grid_lanes.hpp"

namespace bigrad {

template <typename T>
void shortest_path_cpu(const T* w, int64_t B, int H, int W, int neighbourhood, T* mask, T* cost, T* edges) {
  const int64_t n = int64_t(H) * W;
  for_each_lane_group<T>(B, H, W, [&](GridLaneScratch<T>& s, int64_t b0, int count) {
    s.load(w, b0, count);
    grid_sweep<T, GridLaneScratch<T>::L>(s.weights(), H, W, neighbourhood, s.workspace());
    for (int l = 0; l < count; ++l) {
      const int64_t b = b0 + l;
      std::fill(mask + b * n, mask + (b + 1) * n, T(0));
      T* e = edges ? edges + b * n * neighbourhood : nullptr;
      if (e) std::fill(e, e + n * neighbourhood, T(0));
      cost[b] = grid_trace_path<T>(s.workspace(), l, H, W, neighbourhood, mask + b * n, e);
    }
  });
}

template void shortest_path_cpu<float>(const float*, int64_t, int, int, int, float*, float*, float*);
template void shortest_path_cpu<double>(const double*, int64_t, int, int, int, double*, double*, double*);

}  // namespace bigrad
