// Bucket queue (Dial) for the Dijkstra of one large grid (CPU only).
//
// Labels are cut into buckets of width D = (least weight) / 2: bucket index
// floor(label / D), computed in double. A circular array of buckets, as many
// as a label can get ahead of the one being expanded, holds them; a bitmap of
// the non-empty ones finds the next (a count-trailing-zeros per 64 buckets).
// Every weight is at least 2 D, so while a sum a + w, rounded, still exceeds
// a + 1.5 D (labels below D * 2^22 in float32, D * 2^51 in float64) no
// expansion lands in the bucket being expanded: its labels are final when it
// becomes current, and its cells can be expanded in any order (last in, first
// out: no heap at all, and the next cells are known, so their memory can be
// fetched ahead). Past that limit the queue gives up and hands its entries to
// the caller (a radix heap continues, exactly).
//
// Entries are (key, cell) pairs, the key being the label's bit pattern
// (non-negative floats order like their bits): an entry whose cell has since
// got a lower label is recognised as stale.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

namespace bigrad {

template <typename T>
class BucketQueue {
 public:
  using Key = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static Key key(T x) {
    Key k;
    std::memcpy(&k, &x, sizeof k);
    return k;
  }

  // Whether n weights in [low, high] suit the queue: low > 0, high / low
  // bounded, and no label or label + weight (at most (n + 1) * high) overflows.
  static bool suits(int64_t n, T low, T high) {
    return low > T(0) && double(high) <= kMaxRatio * double(low) &&
           double(n + 1) * double(high) < 0.5 * double(std::numeric_limits<T>::max());
  }

  // For weights in [low, high] (suits(low, high)); `first`: the first label pushed.
  BucketQueue(T low, T high, T first) : inv_width_(2.0 / double(low)) {
    int count = 64;  // a label is at most about high / D + 1 buckets ahead of the current one
    while (double(count) < 2.0 * double(high) / double(low) + 4) count *= 2;
    mask_ = count - 1;
    buckets_.resize(size_t(count));
    used_.assign(size_t(count) / 64, 0);
    cur_ = index(first);
  }

  int64_t index(T label) const { return int64_t(double(label) * inv_width_); }

  void push(T label, uint32_t cell) {
    const int64_t slot = index(label) & mask_;
    auto& bucket = buckets_[size_t(slot)];
    bucket.emplace_back();  // the fields are stored directly (no entry built on the stack and copied)
    bucket.back().key = key(label);
    bucket.back().cell = cell;
    used_[size_t(slot) / 64] |= uint64_t(1) << (slot % 64);
  }

  // The cell popped `ahead` pops from now if it is in the current bucket, else UINT32_MAX.
  uint32_t upcoming(int ahead) const {
    const auto& bucket = buckets_[size_t(cur_ & mask_)];
    return bucket.size() > size_t(ahead) ? bucket.end()[-1 - ahead].cell : UINT32_MAX;
  }

  // Pops an entry of the current bucket; false once the queue is empty or
  // has given up (gave_up()).
  bool pop(Key& key_out, uint32_t& cell) {
    auto* bucket = &buckets_[size_t(cur_ & mask_)];
    if (bucket->empty()) {
      if (!advance()) return false;
      bucket = &buckets_[size_t(cur_ & mask_)];
    }
    key_out = bucket->back().key;
    cell = bucket->back().cell;
    bucket->pop_back();
    return true;
  }

  bool gave_up() const { return gave_up_; }

  // Calls f(key, cell) for every entry left (after gave_up()).
  template <typename F>
  void drain(F f) const {
    for (const auto& bucket : buckets_) {
      for (const auto& e : bucket) f(e.key, e.cell);
    }
  }

 private:
  struct Entry {
    Key key;
    uint32_t cell;
  };
  static constexpr double kMaxRatio = 2048;
  // bucket indices from which a + w (w >= 2 D) may round to a + 1.5 D or less
  static constexpr int64_t kExactBelow = int64_t(1) << (sizeof(T) == 4 ? 22 : 51);

  // Moves to the next non-empty bucket; false when there is none or it is past kExactBelow.
  bool advance() {
    const int64_t slot = cur_ & mask_;
    used_[size_t(slot) / 64] &= ~(uint64_t(1) << (slot % 64));
    const int64_t step = next_used(slot);
    if (step < 0) return false;
    if (cur_ + step >= kExactBelow - 1) {
      gave_up_ = true;
      return false;
    }
    cur_ += step;
    return true;
  }

  // Distance (in buckets, circularly) from `slot` to the next non-empty one, or -1.
  int64_t next_used(int64_t slot) const {
    const int64_t words = int64_t(used_.size());
    int64_t w = slot / 64;
    uint64_t bits = used_[size_t(w)] & (~uint64_t(0) << (slot % 64));
    for (int64_t k = 0; k <= words; ++k) {
      if (bits != 0) return (w * 64 + __builtin_ctzll(bits) - slot) & mask_;
      w = w + 1 == words ? 0 : w + 1;
      bits = used_[size_t(w)];
    }
    return -1;
  }

  double inv_width_;
  int64_t mask_ = 0, cur_ = 0;
  bool gave_up_ = false;
  std::vector<std::vector<Entry>> buckets_;
  std::vector<uint64_t> used_;
};

}  // namespace bigrad
