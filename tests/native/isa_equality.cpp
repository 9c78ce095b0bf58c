// aarch64 check run by tests/test_native_isa.py under qemu-user: the import-time
// choice (csrc/isa.cpp) picks NEON; the grid shortest-path kernels of the
// generic and NEON tables give bit-identical labels on random grids; the TSP
// kernels (NEON LaneVec) match brute force (Held–Karp) and each other (branch
// and bound) and are the same in both tables. Links csrc/isa.cpp
// (BIGRAD_HAVE_NEON) and csrc/isa/{shortest_path,tsp}.cpp built twice, as the
// Baseline and the Neon tables. Prints "ok <comparisons> <isa> <isa>" and exits 0,
// or the first mismatch and exits 1.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <type_traits>
#include <vector>

#include <limits>
#include <string>

#include "bigrad/tsp.hpp"
#include "bigrad/tsp_branch_bound.hpp"
#include "isa.hpp"

namespace bigrad {
bool cancelled() { return false; }  // csrc/batch.cpp's, for the kernels
}  // namespace bigrad

using bigrad::ShortestPathKernels;

#if defined(__aarch64__) && defined(__ARM_NEON)
static_assert(std::is_base_of<bigrad::neon::LaneVecBase<bigrad::LaneVec<double, 2>, double, 2>,
                              bigrad::LaneVec<double, 2>>::value,
              "the TSP kernels must use the NEON LaneVec");
#endif

namespace {

long g_checks = 0;

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <typename T>
struct Pick;
template <>
struct Pick<float> {
  static int lanes(const ShortestPathKernels& k, int v) { return k.lanes_f32[v]; }
  static auto group(const ShortestPathKernels& k, int v) { return k.group_f32[v]; }
  static auto single(const ShortestPathKernels& k) { return k.single_f32; }
};
template <>
struct Pick<double> {
  static int lanes(const ShortestPathKernels& k, int v) { return k.lanes_f64[v]; }
  static auto group(const ShortestPathKernels& k, int v) { return k.group_f64[v]; }
  static auto single(const ShortestPathKernels& k) { return k.single_f64; }
};

template <typename T>
bool grids(const ShortestPathKernels& a, const ShortestPathKernels& b, std::mt19937& rng) {
  const T levels[] = {T(0.8), T(1.2), T(5.3), T(7.7), T(9.2)};
  for (int trial = 0; trial < 24; ++trial) {
    const int H = 1 + int(rng() % 23), W = 1 + int(rng() % 23), nbh = trial % 2 ? 4 : 8;
    const int kind = trial % 3;  // Warcraft-like ties, zero-weight plateaus, uniform
    for (int v = 0; v < 2; ++v) {
      const int L = Pick<T>::lanes(a, v);
      if (L != Pick<T>::lanes(b, v)) {
        std::printf("lane counts differ: %d %d\n", L, Pick<T>::lanes(b, v));
        return false;
      }
      const int count = 1 + int(rng() % unsigned(L));
      std::vector<T> src(size_t(count) * H * W);
      for (T& x : src) {
        x = kind == 0 ? levels[rng() % 5] : kind == 1 ? T(rng() % 3) : T(std::uniform_real_distribution<double>(0, 1)(rng));
      }
      const size_t padded = size_t(H + 2) * (W + 2);
      std::vector<T> wa(size_t(H) * W * L), wb(wa.size()), da(padded * L), db(da.size());
      std::vector<unsigned char> ra(H + 2), rb(H + 2), ba(L), bb(L);
      const int64_t out_stride = int64_t(padded) + 4;  // the labels by instance, as the driver lays them out
      std::vector<T> oa(size_t(out_stride) * L), ob(oa.size());
      Pick<T>::group(a, v)(src.data(), count, H, W, nbh, wa.data(), da.data(), ra.data(), ba.data(), oa.data(),
                           out_stride);
      Pick<T>::group(b, v)(src.data(), count, H, W, nbh, wb.data(), db.data(), rb.data(), bb.data(), ob.data(),
                           out_stride);
      ++g_checks;
      if (!same_bits(da, db) || !same_bits(oa, ob) || ba != bb) {
        std::printf("group %s/%s differ: %s H=%d W=%d nbh=%d v=%d\n", a.isa, b.isa, sizeof(T) == 4 ? "f32" : "f64", H,
                    W, nbh, v);
        return false;
      }
      std::vector<T> sa(padded), sb(padded);
      Pick<T>::single(a)(src.data(), H, W, nbh, sa.data(), ra.data());
      Pick<T>::single(b)(src.data(), H, W, nbh, sb.data(), rb.data());
      ++g_checks;
      for (size_t c = 0; c < padded; ++c) {  // lane 0 of the group is the same instance
        if (std::memcmp(&sa[c], &da[c * L], sizeof(T)) != 0) {
          std::printf("single and lane 0 differ: H=%d W=%d\n", H, W);
          return false;
        }
      }
      if (!same_bits(sa, sb)) {
        std::printf("single %s/%s differ: H=%d W=%d nbh=%d\n", a.isa, b.isa, H, W, nbh);
        return false;
      }
    }
  }
  return true;
}

template <typename T>
T brute_force_tour(const std::vector<T>& d, int n) {
  std::vector<int> p(n - 1);
  for (int i = 0; i < n - 1; ++i) p[i] = i + 1;
  T best = std::numeric_limits<T>::infinity();
  do {
    T c = d[p[0]];
    for (int i = 0; i + 1 < n - 1; ++i) c += d[p[i] * n + p[i + 1]];
    c += d[p[n - 2] * n];
    best = std::min(best, c);
  } while (std::next_permutation(p.begin(), p.end()));
  return best;
}

template <typename T>
bool tours(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 12; ++trial) {
    const int n = 3 + trial % 6;  // 3..8: brute force
    std::vector<T> d(size_t(n) * n);
    for (T& x : d) x = T(u(rng));
    std::vector<T> work(size_t(bigrad::tsp_workspace_size(n)));
    std::vector<int> succ(n);
    const double hk = double(bigrad::tsp_held_karp<T>(d.data(), n, work.data(), succ.data()));
    const double bf = double(brute_force_tour(d, n));
    ++g_checks;
    if (std::abs(hk - bf) > 1e-5 * bf) {
      std::printf("Held-Karp %g, brute force %g (n=%d)\n", hk, bf, n);
      return false;
    }
  }
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 12 + trial % 3;  // symmetric: branch and bound against Held–Karp
    std::vector<T> d(size_t(n) * n, T(0));
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) d[i * n + j] = d[j * n + i] = T(u(rng));
    }
    std::vector<T> work(size_t(bigrad::tsp_workspace_size(n)));
    std::vector<uint64_t> search(size_t((bigrad::tsp_bb_workspace_bytes(n) + 7) / 8));
    std::vector<int> succ(n);
    const double hk = double(bigrad::tsp_held_karp<T>(d.data(), n, work.data(), succ.data()));
    const double bb = double(bigrad::tsp_branch_bound<T>(d.data(), n, reinterpret_cast<unsigned char*>(search.data()),
                                                         succ.data()));
    ++g_checks;
    if (std::abs(hk - bb) > 1e-5 * hk) {
      std::printf("Held-Karp %g, branch and bound %g (n=%d)\n", hk, bb, n);
      return false;
    }
  }
  return true;
}

template <typename T>
T solve(const bigrad::TspKernels& k, const std::vector<T>& d, int n, bool branch_bound, std::vector<int>& succ) {
  std::vector<uint64_t> search(size_t((bigrad::tsp_bb_workspace_bytes(n) + 7) / 8));
  std::vector<T> work(size_t(bigrad::tsp_workspace_size(n)));
  auto* bytes = reinterpret_cast<unsigned char*>(search.data());
  if constexpr (std::is_same<T, float>::value) {
    return branch_bound ? k.branch_bound_f32(d.data(), n, bytes, succ.data(), nullptr, 0)
                        : k.held_karp_f32(d.data(), n, work.data(), succ.data(), nullptr);
  } else {
    return branch_bound ? k.branch_bound_f64(d.data(), n, bytes, succ.data(), nullptr, 0)
                        : k.held_karp_f64(d.data(), n, work.data(), succ.data(), nullptr);
  }
}

// The TSP tables of two ISAs: the same tours and bit-identical costs.
template <typename T>
bool same_tours(const bigrad::TspKernels& a, const bigrad::TspKernels& b, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 8; ++trial) {
    const bool bb = trial % 2 == 1;
    const int n = bb ? 12 + trial : 5 + trial;
    std::vector<T> d(size_t(n) * n, T(0));
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) d[i * n + j] = i == j ? T(0) : T(u(rng));
    }
    if (bb) {
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < i; ++j) d[i * n + j] = d[j * n + i];
      }
    }
    std::vector<int> sa(n), sb(n);
    const T ca = solve<T>(a, d, n, bb, sa), cb = solve<T>(b, d, n, bb, sb);
    ++g_checks;
    if (std::memcmp(&ca, &cb, sizeof(T)) != 0 || sa != sb) {
      std::printf("TSP tables differ: n=%d %s %g %g\n", n, bb ? "branch and bound" : "Held-Karp", double(ca),
                  double(cb));
      return false;
    }
  }
  return true;
}

}  // namespace

int main() {
  std::mt19937 rng(7);
  bigrad::select_isa("");  // as at import (BIGRAD_ISA unset)
  const std::string chosen = bigrad::isa_name();
  const auto available = bigrad::isa_available();
  bigrad::select_isa("scalar");
  if (chosen != "neon" || available != std::vector<std::string>{"generic", "neon"} || bigrad::isa_name() != "generic") {
    std::printf("import-time choice %s among %zu tables, scalar -> %s\n", chosen.c_str(), available.size(),
                bigrad::isa_name().c_str());
    return 1;
  }
  const ShortestPathKernels& a = bigrad::kShortestPathBaseline;
  const ShortestPathKernels& b = bigrad::kShortestPathNeon;
  const bool ok = grids<float>(a, b, rng) && grids<double>(a, b, rng) && tours<float>(rng) && tours<double>(rng) &&
                  same_tours<float>(bigrad::kTspBaseline, bigrad::kTspNeon, rng) &&
                  same_tours<double>(bigrad::kTspBaseline, bigrad::kTspNeon, rng);
  if (!ok) return 1;
  std::printf("ok %ld %s %s\n", g_checks, a.isa, b.isa);
  return 0;
}
