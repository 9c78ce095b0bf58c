// Bucket queue (Dial) for the Dijkstra of one large grid (CPU only).
//
// Labels are cut into buckets of width D: bucket index floor(label / D),
// computed in double. A circular array of buckets, as many as a label can get
// ahead of the one being expanded but at most 4096, holds them; a bitmap of
// the non-empty ones finds the next (a count-trailing-zeros per 64 buckets).
// Entries further ahead (heavy weights, outliers) wait in a heap and enter the
// array as it moves, before their bucket becomes current.
//
// A move into cell u adds w[u] to a label. While a sum a + w, rounded, still
// exceeds a + 1.5 D for w >= 2 D (labels below D * 2^22 in float32, D * 2^51
// in float64), an expansion from the current bucket never lands a cell of
// weight >= 2 D in it. Such a cell ("sure") has its final label once its
// bucket becomes current, whatever the order of the expansions: sure entries
// are expanded first, in any order (a stack: no heap, and the next cells are
// known, so their memory can be fetched ahead). The other entries of the
// bucket then go in key order, from a binary heap (entries they land in the
// current bucket join it): exact Dijkstra. D is half the least weight when the
// weights lie within a factor 2048 and the least is at least a quarter of
// their 5% quantile (Warcraft-like costs: every cell is sure), else half that
// quantile (the lightest 5% go by the heaps: narrower buckets would hold one
// entry or none, each push then landing in a cold one);
// where that is 0 (many zero weights) the caller uses a radix heap. Past the
// label limit the queue gives up and hands its entries over (a radix heap
// continues, exactly).
//
// Once the target is expanded the queue still finishes the current bucket:
// then every label below the target's is final (grid_trace reads them).
// Entries are (key, cell) pairs, the key being the label's bit pattern
// (non-negative floats order like their bits): an entry whose cell has since
// got a lower label is recognised as stale.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "radix_heap.hpp"

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace bigrad {

template <typename T>
class BucketQueue {
 public:
  using Key = FloatKey<T>;
  static Key key(T x) { return float_key(x); }

  // Bucket width for the n weights w[0..n) in [low, high], or 0 when the
  // queue does not suit them (then no label or label + weight overflows).
  static double width(const T* w, int64_t n, T low, T high) {
    if (!(double(n + 1) * double(high) < 0.5 * double(std::numeric_limits<T>::max()))) return 0;
    // the kMaxUnsure quantile of the weights (a strided sample)
    const int64_t step = std::max<int64_t>(1, n / kSample);
    std::vector<T> sample;
    sample.reserve(size_t(n / step + 1));
    for (int64_t c = 0; c < n; c += step) sample.push_back(w[c]);
    const size_t q = size_t(kMaxUnsure * double(sample.size()));
    std::nth_element(sample.begin(), sample.begin() + ptrdiff_t(q), sample.end());
    const double quantile = double(sample[q]);
    // every cell sure with D = low / 2, unless that makes the buckets far narrower than the
    // quantile's: then most hold one entry or none, and each push lands in a cold one
    if (low > T(0) && double(high) <= kMaxRatio * double(low) && kNarrow * double(low) >= quantile)
      return double(low) / 2;
    // else D is half the quantile: the lighter cells, ordered by a heap in their bucket, are about
    // kMaxUnsure of them; none when it is 0 (many zeros)
    const double width = quantile / 2;
    return width > 0 && std::isfinite(width) ? width : 0;
  }

  // For a width from width() and weights in [low, high]; `first`: the first label pushed.
  BucketQueue(double width, T low, T high, T first)
      : inv_width_(1.0 / width), sure_(2 * width), all_sure_(double(low) >= 2 * width) {
    int count = 64;  // a label is at most about high / D + 1 buckets ahead of the current one
    while (double(count) < double(high) / width + 4 && count < kWindow) count *= 2;
    mask_ = count - 1;  // entries at least this many buckets ahead wait in far_
    buckets_ = std::move(spare());  // the thread's last queue's buckets, empty, their memory kept
    buckets_.resize(size_t(count));
    used_.assign(size_t(count) / 64, 0);
    cur_ = index(first);
    moved();
  }

  // The buckets go back to the thread, emptied, so that the next queue pushes without allocating
  // (unless they hold more than kKeep entries' memory: then it is freed).
  ~BucketQueue() {
    size_t held = 0;
    for (Bucket& b : buckets_) {
      b.sure.clear();
      b.unsure.clear();
      held += b.sure.capacity() + b.unsure.capacity();
    }
    if (held <= kKeep) spare() = std::move(buckets_);
  }
  BucketQueue(const BucketQueue&) = delete;
  BucketQueue& operator=(const BucketQueue&) = delete;

  // weight: that of the cell (its least step).
  void push(T label, uint32_t cell, T weight) { push_sure(label, cell, is_sure(weight)); }

  // Whether a cell of this weight (its least step) is sure.
  bool is_sure(T weight) const { return all_sure_ || double(weight) >= sure_; }

  // push() with the cell's is_sure() known.
  void push_sure(T label, uint32_t cell, bool sure) {
    // the bucket test first keeps the far test off the critical path (measured 5-10% faster than
    // testing the label alone); a huge label's index comes out negative or saturated (never UB)
    const int64_t at = index(label);
    if (__builtin_expect(at >= cur_ + mask_ || label >= far_label_, 0)) {  // near or beyond the window's end
      push_far(label, cell, sure);
      return;
    }
    place(at, label, cell, sure);
  }

  // The cell popped `ahead` pops from now if it is a sure one, else UINT32_MAX.
  uint32_t upcoming(int ahead) const {
    const auto& sure = buckets_[size_t(cur_ & mask_)].sure;
    return sure.size() > size_t(ahead) ? sure.end()[-1 - ahead].cell : UINT32_MAX;
  }

  // Pops the next entry; false once the queue is empty, has given up
  // (gave_up()), or has finished the bucket of the target (target_reached()).
  bool pop(Key& key_out, uint32_t& cell) {
    for (;;) {
      Bucket& bucket = buckets_[size_t(cur_ & mask_)];
      if (!bucket.sure.empty()) {
        take(bucket.sure, key_out, cell);
        return true;
      }
      if (!bucket.unsure.empty()) {
        if (!heap_) std::make_heap(bucket.unsure.begin(), bucket.unsure.end(), later);
        heap_ = true;
        std::pop_heap(bucket.unsure.begin(), bucket.unsure.end(), later);
        take(bucket.unsure, key_out, cell);
        return true;
      }
      if (target_ || !advance()) return false;
    }
  }

  // The target was popped: stop at the end of the current bucket. Returns
  // whether to stop at once (never: lower labels may be pending in it).
  bool target_reached() {
    target_ = true;
    return false;
  }

  bool gave_up() const { return gave_up_; }

  // Calls f(key, cell) for every entry left (after gave_up()).
  template <typename F>
  void drain(F f) const {
    for (const Bucket& bucket : buckets_) {
      for (const auto& e : bucket.sure) f(e.key, e.cell);
      for (const auto& e : bucket.unsure) f(e.key, e.cell);
    }
    for (const auto& e : far_) f(e.key, e.cell);
  }

 private:
  struct Entry {
    Key key;
    uint32_t cell;
  };
  struct Bucket {
    std::vector<Entry> sure, unsure;
  };
  struct Far {
    Key key;
    uint32_t cell;
    bool sure;
  };
  static constexpr double kMaxRatio = 2048, kMaxUnsure = 0.05, kNarrow = 4;
  static constexpr int kWindow = 4096;  // buckets in the circular array, at most
  static constexpr size_t kKeep = size_t(1) << 18;  // entries (16 bytes each) a thread keeps for its next queue
  static constexpr int64_t kSample = 4096;
  // bucket indices from which a + w (w >= 2 D) may round to a + 1.5 D or less
  static constexpr int64_t kExactBelow = int64_t(1) << (sizeof(T) == 4 ? 22 : 51);

  static std::vector<Bucket>& spare() {
    static thread_local std::vector<Bucket> buckets;
    return buckets;
  }
  static bool later(const Entry& a, const Entry& b) { return a.key > b.key; }
  static bool farther(const Far& a, const Far& b) { return a.key > b.key; }
  static T label_of(Key k) {
    T x;
    std::memcpy(&x, &k, sizeof x);
    return x;
  }
  static void add(std::vector<Entry>& v, T label, uint32_t cell) {
    v.emplace_back();  // the fields are stored directly (no entry built on the stack and copied)
    v.back().key = key(label);
    v.back().cell = cell;
  }
  static void take(std::vector<Entry>& v, Key& key_out, uint32_t& cell) {
    key_out = v.back().key;
    cell = v.back().cell;
    v.pop_back();
  }

  // Bucket of a label in the window (or a small one); for labels past 2^63 buckets (x86-64: the
  // instruction's defined INT64_MIN; elsewhere INT64_MAX), which push() sends to the far heap.
  int64_t index(T label) const { return truncate(double(label) * inv_width_); }
  static int64_t truncate(double x) {
#if defined(__x86_64__)
    return _mm_cvttsd_si64(_mm_set_sd(x));
#else
    return x < 9.2e18 ? int64_t(x) : std::numeric_limits<int64_t>::max();
#endif
  }
  // Bucket of any label; labels from kExactBelow buckets on (a heavy outlier's) all map to that one.
  int64_t far_index(T label) const { return int64_t(std::min(double(label) * inv_width_, double(kExactBelow))); }

  void place(int64_t at, T label, uint32_t cell, bool sure) {
    const int64_t slot = at & mask_;
    Bucket& bucket = buckets_[size_t(slot)];
    if (sure) {
      add(bucket.sure, label, cell);
    } else {
      add(bucket.unsure, label, cell);
      if (heap_ && slot == (cur_ & mask_)) std::push_heap(bucket.unsure.begin(), bucket.unsure.end(), later);
    }
    used_[size_t(slot) / 64] |= uint64_t(1) << (slot % 64);
  }

  // Moves to the next non-empty bucket; false when there is none or it is past kExactBelow.
  // Entries of far_ come into the window as it moves, before their bucket is current.
  bool advance() {
    const int64_t slot = cur_ & mask_;
    used_[size_t(slot) / 64] &= ~(uint64_t(1) << (slot % 64));
    heap_ = false;
    const int64_t step = next_used(slot);
    int64_t next = step < 0 ? std::numeric_limits<int64_t>::max() : cur_ + step;
    if (!far_.empty()) next = std::min(next, far_index(label_of(far_.front().key)));
    if (next == std::numeric_limits<int64_t>::max()) return false;
    if (next >= kExactBelow - 1) {
      gave_up_ = true;
      return false;
    }
    cur_ = next;
    moved();
    while (!far_.empty()) {
      const Far e = far_.front();
      const T label = label_of(e.key);
      const int64_t at = far_index(label);
      if (at - cur_ >= mask_) break;
      std::pop_heap(far_.begin(), far_.end(), farther);
      far_.pop_back();
      place(at, label, e.cell, e.sure);
    }
    return true;
  }

  __attribute__((noinline)) void push_far(T label, uint32_t cell, bool sure) {
    far_.push_back(Far{key(label), cell, sure});
    std::push_heap(far_.begin(), far_.end(), farther);
  }

  // After cur_ moved: labels from far_label_ on go to far_. Below it a label's bucket is at most
  // cur_ + mask_ (one bucket of margin for rounding), so no two live buckets share a slot.
  void moved() { far_label_ = T(double(cur_ + mask_ - 1) / inv_width_); }

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

  double inv_width_, sure_;
  bool all_sure_;
  int64_t mask_ = 0, cur_ = 0;
  T far_label_ = 0;
  bool heap_ = false, target_ = false, gave_up_ = false;
  std::vector<Bucket> buckets_;
  std::vector<Far> far_;  // a min-heap on the key
  std::vector<uint64_t> used_;
};

}  // namespace bigrad
