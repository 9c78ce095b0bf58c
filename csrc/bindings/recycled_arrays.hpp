// Output arrays whose memory is recycled after numpy releases them.
//
// A fresh allocation of a few hundred KB comes from the kernel page by page:
// one page fault per 4 KB on first write, which for the shortest-path masks of
// a batch costs as much as a third of the solve. Buffers from this cache keep
// their pages: when the last numpy reference goes, the buffer returns to a
// small pool (at most kMaxBuffers, max_bytes() in all, most recent first) and
// the next output of the same size takes it. Small arrays use numpy's own
// allocator. The pool is only touched with the GIL held.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace bigrad {

class BufferPool {
 public:
  static constexpr size_t kMinBytes = size_t(64) << 10;  // below: numpy's allocator
  // Held in all, at most: 256 MB (a 128k batch of 12x12 float32 masks is 75 MB; refaulting it on every
  // call cost 25% of the solve), or 1/32 of the physical memory when that is less.
  static size_t max_bytes() {
    static const size_t bytes = [] {
      size_t cap = size_t(256) << 20;
#if defined(__linux__)
      const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
      if (pages > 0 && page > 0) cap = std::min(cap, size_t(pages) * size_t(page) / 32);
#endif
      return cap;
    }();
    return bytes;
  }
  static constexpr size_t kMaxBuffers = 8;
  static constexpr size_t kHeader = 64;  // the size is stored before the data (alignment kept)

  static BufferPool& instance() {
    static BufferPool* pool = new BufferPool;  // never destroyed: capsules may outlive static destructors
    return *pool;
  }

  // Data pointer of a buffer of `bytes` (throws std::bad_alloc).
  void* take(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t i = free_.size(); i-- > 0;) {
        if (size_of(free_[i]) == bytes) {
          char* data = free_[i];
          free_.erase(free_.begin() + ptrdiff_t(i));
          held_ -= bytes;
          return data;
        }
      }
    }
    void* raw = std::aligned_alloc(kHeader, round_up(kHeader + bytes));
    if (raw == nullptr) throw std::bad_alloc();
    std::memcpy(raw, &bytes, sizeof bytes);
    prefault(static_cast<char*>(raw), kHeader + bytes);
    return static_cast<char*>(raw) + kHeader;
  }

  // Returns a buffer from take() (the capsule destructor).
  void give(void* data) {
    char* d = static_cast<char*>(data);
    const size_t bytes = size_of(d);
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes > max_bytes()) {
      std::free(d - kHeader);
      return;
    }
    free_.push_back(d);
    held_ += bytes;
    while (free_.size() > kMaxBuffers || held_ > max_bytes()) {  // drop the oldest
      held_ -= size_of(free_.front());
      std::free(free_.front() - kHeader);
      free_.erase(free_.begin());
    }
  }

 private:
  static size_t size_of(const char* data) {
    size_t bytes;
    std::memcpy(&bytes, data - kHeader, sizeof bytes);
    return bytes;
  }
  static size_t round_up(size_t n) { return (n + kHeader - 1) / kHeader * kHeader; }
  // Large buffers get transparent huge pages (as numpy's own allocator asks
  // from 4 MB on), and every fresh buffer is faulted in with one call rather
  // than a fault per page; both are hints (errors ignored, Linux only).
  static void prefault(char* p, size_t bytes) {
#if defined(__linux__)
    const uintptr_t page = 4096, begin = (reinterpret_cast<uintptr_t>(p) + page - 1) / page * page;
    const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) / page * page;
    if (end <= begin) return;
    void* start = reinterpret_cast<void*>(begin);
    if (bytes >= (size_t(4) << 20)) madvise(start, end - begin, MADV_HUGEPAGE);
#if defined(MADV_POPULATE_WRITE)
    madvise(start, end - begin, MADV_POPULATE_WRITE);
#else
    madvise(start, end - begin, 23);  // MADV_POPULATE_WRITE (Linux 5.14); EINVAL on older kernels
#endif
#else
    (void)p;
    (void)bytes;
#endif
  }
  std::mutex mutex_;
  std::vector<char*> free_;
  size_t held_ = 0;
};

// An uninitialised C-contiguous array (every element must be written), from
// the pool when it is large.
template <typename T>
pybind11::array_t<T, pybind11::array::c_style> recycled_array(const std::vector<pybind11::ssize_t>& shape) {
  size_t count = 1;
  for (auto s : shape) count *= size_t(s);
  const size_t bytes = count * sizeof(T);
  if (bytes < BufferPool::kMinBytes) return pybind11::array_t<T, pybind11::array::c_style>(shape);
  void* data = BufferPool::instance().take(bytes);
  pybind11::capsule owner(data, [](void* p) { BufferPool::instance().give(p); });
  return pybind11::array_t<T, pybind11::array::c_style>(shape, static_cast<T*>(data), owner);
}

}  // namespace bigrad
