// Batched CG on several threads when the matvec is the caller's (Python) code.
//
// The caller holds the GIL and computes Ap = A p chunk by chunk of rows; each
// chunk's fused CG step (cg_step, krylov_update.hpp) is handed to worker
// threads that never touch Python, so the next chunk's matvec overlaps the
// previous chunk's step. Python threads running the matvecs instead pass the
// GIL back and forth several times per chunk and iteration, which left a
// second thread with no gain (bench/bench_krylov.py).
//
// Chunk c owns rows [bounds[c], bounds[c+1]); a step only touches its own rows
// of x, r, p, rz, iters, active and broke, and the caller's matvec of chunk c
// reads only p's rows of c, so the threads never share a row. Each row is
// updated by the same sequential code as on one thread: results do not depend
// on the thread count.
//
// Waking a sleeping thread costs tens of microseconds on a virtual machine,
// as much as a small chunk's step, so a worker that finds the queue empty, and
// the caller waiting for a chunk, first spin for at most kSpin (a chunk's
// step or matvec is due within that time while the solve runs) and then block
// on a condition variable. Nothing spins outside a solve, and torch runs on
// one intra-op thread meanwhile (bigrad.krylov), so no OpenMP team competes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "krylov_update.hpp"

namespace bigrad {

template <typename T>
struct CgArrays {
  int64_t B = 0, n = 0;
  T* x = nullptr;
  T* r = nullptr;
  T* p = nullptr;
  T* rz = nullptr;
  const T* thr2 = nullptr;
  int64_t* iters = nullptr;
  const int64_t* budget = nullptr;
  uint8_t* active = nullptr;
  uint8_t* broke = nullptr;
};

// Spins on ready() for at most kSpin; true once it held.
template <typename Ready>
bool spin_until(Ready ready) {
  constexpr auto kSpin = std::chrono::microseconds(50);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 1;; ++i) {
    if (ready()) return true;
    if (i % 64 == 0) {
      if (std::chrono::steady_clock::now() - start > kSpin) return false;
      std::this_thread::yield();  // a thread waiting for this core (a loaded machine) runs first
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
}

template <typename T>
class CgPipeline {
 public:
  CgPipeline(const CgArrays<T>& arrays, std::vector<int64_t> bounds, int workers)
      : a_(arrays), bounds_(std::move(bounds)), still_(bounds_.size() - 1), pending_(bounds_.size() - 1) {
    for (size_t c = 0; c + 1 < bounds_.size(); ++c) {
      pending_[c].store(0);
      int64_t live = 0;
      for (int64_t b = bounds_[c]; b < bounds_[c + 1]; ++b) live += a_.active[b] != 0;
      still_[c] = live;
    }
    for (int t = 0; t < workers; ++t) threads_.emplace_back([this] { work(); });
  }
  CgPipeline(const CgPipeline&) = delete;
  CgPipeline& operator=(const CgPipeline&) = delete;
  ~CgPipeline() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_.store(true);  // queued steps still run: the caller's buffers outlive this object
    }
    work_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  int64_t chunks() const { return int64_t(still_.size()); }
  int64_t rows(int64_t c) const { return bounds_[size_t(c) + 1] - bounds_[size_t(c)]; }
  int64_t n() const { return a_.n; }

  // Seconds the workers spent in steps so far (the caller compares them with its matvecs).
  double step_seconds() const { return 1e-9 * double(step_ns_.load()); }

  // Queues chunk c's step with its Ap rows (ld entries apart); Ap must stay
  // alive until wait(c) returned.
  void submit(int64_t c, const T* ap, int64_t ld) {
    {
      std::lock_guard<std::mutex> lock(m_);
      pending_[size_t(c)].fetch_add(1);
      queue_.push_back({c, {ap, ld}});
      queued_.fetch_add(1);
    }
    work_cv_.notify_one();
  }

  // Waits for chunk c's queued steps; returns its rows still active.
  int64_t wait(int64_t c) {
    auto& pending = pending_[size_t(c)];
    if (!spin_until([&] { return pending.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lock(m_);
      done_cv_.wait(lock, [&] { return pending.load() == 0; });
    }
    return still_[size_t(c)];
  }

 private:
  void work() {
    for (;;) {
      spin_until([&] { return queued_.load(std::memory_order_acquire) > 0 || stop_.load(); });
      std::unique_lock<std::mutex> lock(m_);
      work_cv_.wait(lock, [&] { return stop_.load() || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ and nothing left
      const auto [c, ap] = queue_.front();
      queue_.pop_front();
      queued_.fetch_sub(1);
      lock.unlock();
      const auto start = std::chrono::steady_clock::now();
      const int64_t b0 = bounds_[size_t(c)], rows = bounds_[size_t(c) + 1] - b0;
      const int64_t live = cg_step<T>(rows, a_.n, a_.x + b0 * a_.n, a_.r + b0 * a_.n, a_.p + b0 * a_.n, ap.first,
                                      ap.second, a_.rz + b0, a_.thr2 + b0, a_.iters + b0, a_.budget + b0,
                                      a_.active + b0, a_.broke + b0);
      step_ns_.fetch_add(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
      lock.lock();
      still_[size_t(c)] = live;
      pending_[size_t(c)].fetch_sub(1, std::memory_order_release);
      lock.unlock();
      done_cv_.notify_all();
    }
  }

  CgArrays<T> a_;
  std::vector<int64_t> bounds_;
  std::vector<int64_t> still_;
  std::vector<std::atomic<int>> pending_;  // queued steps per chunk
  std::atomic<int64_t> queued_{0};        // steps in queue_ (read without the lock while spinning)
  std::atomic<int64_t> step_ns_{0};
  std::deque<std::pair<int64_t, std::pair<const T*, int64_t>>> queue_;
  std::mutex m_;
  std::condition_variable work_cv_, done_cv_;
  std::atomic<bool> stop_{false};  // set under m_ (the workers' wait), read without it while spinning
  std::vector<std::thread> threads_;
};

}  // namespace bigrad
