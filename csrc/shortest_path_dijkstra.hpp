// Labels of one large grid by Dijkstra with a radix heap (CPU only).
//
// The sweeps of bigrad/shortest_path.hpp need a pass per change of vertical
// direction of any shortest path, which on a large grid means hundreds of
// passes. Dijkstra settles every cell once. The labels are the same: both
// compute the unique fixed point (the minimum over paths of the sums formed
// from the source outwards), so grid_trace reads the same path from either.
// Non-negative floats order like their bit patterns read as unsigned
// integers, which makes them keys of a radix heap (monotone: popped keys
// never decrease). It stops once the target is settled: every cell with a
// label below the target's is settled then, and grid_trace only visits those.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "batch.hpp"
#include "bigrad/shortest_path.hpp"

namespace bigrad {

template <typename T>
class RadixHeap {
 public:
  using Key = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static Key key(T x) {
    Key k;
    std::memcpy(&k, &x, sizeof k);
    return k;
  }
  bool empty() const { return size_ == 0; }
  void push(Key k, uint32_t v) {
    const int b = bucket(k);
    buckets_[b].emplace_back(k, v);
    used_[b / 64] |= uint64_t(1) << (b % 64);
    ++size_;
  }
  // Pops an entry with the smallest key.
  std::pair<Key, uint32_t> pop() {
    if (buckets_[0].empty()) {
      int i = 1;
      while (used_[i / 64] >> (i % 64) == 0) i = (i / 64 + 1) * 64;
      i += __builtin_ctzll(used_[i / 64] >> (i % 64));
      auto& from = buckets_[i];
      Key least = from[0].first;
      for (const auto& e : from) least = e.first < least ? e.first : least;
      last_ = least;
      for (const auto& e : from) {  // each entry moves to a lower level
        const int b = bucket(e.first);
        buckets_[b].push_back(e);
        used_[b / 64] |= uint64_t(1) << (b % 64);
      }
      from.clear();
      used_[i / 64] &= ~(uint64_t(1) << (i % 64));
    }
    const auto e = buckets_[0].back();
    buckets_[0].pop_back();
    if (buckets_[0].empty()) used_[0] &= ~uint64_t(1);
    --size_;
    return e;
  }

 private:
  // Keys are split into digits of kDigit bits. Bucket 0 holds keys equal to
  // the last key popped; bucket 1 + level * 2^kDigit + digit holds keys whose
  // highest digit differing from it is `level`, with value `digit` there. The
  // buckets in index order hold ever larger keys, and an entry moves at most
  // once per level (about 1 + log2(range) / kDigit moves, not log2(range)).
  static constexpr int kDigit = 6, kRadix = 1 << kDigit;
  static constexpr int kLevels = (int(sizeof(Key)) * 8 + kDigit - 1) / kDigit;
  static constexpr int kBuckets = 1 + kLevels * kRadix;
  int bucket(Key k) const {
    const Key x = k ^ last_;
    if (x == 0) return 0;
    int high;
    if constexpr (sizeof(Key) == 4) {
      high = 31 - __builtin_clz(x);
    } else {
      high = 63 - __builtin_clzll(x);
    }
    const int level = high / kDigit;
    return 1 + level * kRadix + int((k >> (level * kDigit)) & Key(kRadix - 1));
  }
  std::vector<std::pair<Key, uint32_t>> buckets_[kBuckets];
  uint64_t used_[(kBuckets + 63) / 64 + 1] = {};  // non-empty buckets (one spare word)
  Key last_ = 0;
  size_t size_ = 0;
};

// dist: the padded (H+2) x (W+2) labels (stride 1) that grid_trace reads.
template <typename T>
void grid_dijkstra(const T* w, int H, int W, int neighbourhood, T* dist) {
  const int64_t P = W + 2;
  grid_sweep_init<T, 1>(Lanes<const T>{w, 1}, H, W, Lanes<T>{dist, 1});
  RadixHeap<T> heap;
  const int64_t source = P + 1, target = int64_t(H) * P + W;
  heap.push(RadixHeap<T>::key(dist[source]), uint32_t(source));
  // per move: the step in dist's layout and in w's, and the row/column step
  int64_t steps[8], wsteps[8];
  int dis[8], djs[8];
  int count = 0;
  for (int k8 = 0; k8 < 8; ++k8) {
    if (neighbourhood == 4 && (k8 == 0 || k8 == 2 || k8 == 5 || k8 == 7)) continue;
    int di, dj;
    grid_direction8(k8, di, dj);
    dis[count] = di;
    djs[count] = dj;
    wsteps[count] = int64_t(di) * W + dj;
    steps[count++] = di * P + dj;
  }
  int64_t pops = 0;
  while (!heap.empty()) {
    const auto [k, v] = heap.pop();
    const T d = dist[v];
    if (k != RadixHeap<T>::key(d)) continue;  // stale entry
    if (int64_t(v) == target) break;
    if ((++pops & 0xffff) == 0 && cancelled()) return;
    // one division per settled cell; cells off the border need no bounds test
    const int i = int(v / uint32_t(P)), j = int(v % uint32_t(P));
    const int64_t wv = int64_t(i - 1) * W + (j - 1);
    const bool inner = i > 1 && i < H && j > 1 && j < W;
    for (int s = 0; s < count; ++s) {
      if (!inner) {
        const int ni = i + dis[s], nj = j + djs[s];
        if (ni < 1 || ni > H || nj < 1 || nj > W) continue;
      }
      const int64_t u = int64_t(v) + steps[s];
      const T nd = d + w[wv + wsteps[s]];
      if (nd < dist[u]) {
        dist[u] = nd;
        heap.push(RadixHeap<T>::key(nd), uint32_t(u));
      }
    }
  }
}

}  // namespace bigrad
