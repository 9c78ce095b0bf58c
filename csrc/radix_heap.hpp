// A radix heap of non-negative float keys (monotone: popped keys never
// decrease): non-negative floats order like their bit patterns read as
// unsigned integers. Shared by the grid's large-instance Dijkstra
// (shortest_path_dijkstra.hpp) and the general graphs' (graph_shortest_path_dijkstra.hpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace bigrad {

// Non-negative floats order like their bit patterns read as unsigned integers.
template <typename T>
using FloatKey = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
template <typename T>
FloatKey<T> float_key(T x) {
  FloatKey<T> k;
  std::memcpy(&k, &x, sizeof k);
  return k;
}

template <typename T>
class RadixHeap {
 public:
  using Key = FloatKey<T>;
  static Key key(T x) { return float_key(x); }
  void push(T label, uint32_t v, T /*weight*/ = T(0)) { push_key(key(label), v); }
  void push_sure(T label, uint32_t v, bool /*sure*/) { push_key(key(label), v); }
  bool target_reached() const { return true; }  // stop at once: every lower label is final
  // Empties the heap for a new run, keeping the buckets' memory.
  void clear() {
    for (auto& b : buckets_) b.clear();
    for (auto& u : used_) u = 0;
    last_ = 0;
    size_ = 0;
  }
  void push_key(Key k, uint32_t v) {
    const int b = bucket(k);
    buckets_[b].emplace_back(k, v);
    used_[b / 64] |= uint64_t(1) << (b % 64);
    ++size_;
  }
  // The cell popped `ahead` pops from now if known (equal keys), else UINT32_MAX.
  uint32_t upcoming(int ahead) const {
    const auto& b = buckets_[0];
    return b.size() > size_t(ahead) ? b.end()[-1 - ahead].second : UINT32_MAX;
  }

  // Pops an entry with the smallest key; false once the heap is empty.
  bool pop(Key& key_out, uint32_t& cell) {
    if (size_ == 0) return false;
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
    key_out = buckets_[0].back().first;
    cell = buckets_[0].back().second;
    buckets_[0].pop_back();
    if (buckets_[0].empty()) used_[0] &= ~uint64_t(1);
    --size_;
    return true;
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

}  // namespace bigrad
