#include "batch.hpp"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace bigrad {
namespace {

int default_threads() {
  // honour OMP_NUM_THREADS like the OpenMP-based libraries users combine us with
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n >= 1) return n;
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : int(hw);
}

std::atomic<int> g_threads{default_threads()};
std::atomic<InterruptHook> g_hook{nullptr};
constexpr auto kPollSlice = std::chrono::milliseconds(20);

// State of one call: chunks handed out from a counter, first error kept.
struct Call {
  const std::function<void(int64_t, int)>* chunk = nullptr;
  int64_t chunks = 0;
  std::atomic<int64_t> next{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> interrupted{false};
  volatile int cancel = 0;  // mirrors stop for the kernels (bigrad/cancel.hpp)
  std::mutex error_mutex;
  std::exception_ptr error;

  void work(int participant);
  void halt() {
    stop = true;
    __atomic_store_n(&cancel, 1, __ATOMIC_RELAXED);
  }
};

thread_local Call* t_call = nullptr;  // the call this thread works on
thread_local bool t_polls = false;    // this thread is the caller: it polls the hook
thread_local std::chrono::steady_clock::time_point t_last_poll;

// Polls the hook when this thread is a calling thread and a slice has passed.
void poll_hook(Call& call) {
  if (!t_polls) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - t_last_poll < kPollSlice) return;
  t_last_poll = now;
  const InterruptHook hook = g_hook.load();
  if (hook && hook()) {
    call.interrupted = true;
    call.halt();
  }
}

void Call::work(int participant) {
  struct Current {  // t_call is this call until work returns, however it returns
    Call* outer;
    explicit Current(Call* call) : outer(t_call) { t_call = call; }
    ~Current() { t_call = outer; }
  } current(this);
  while (!stop.load(std::memory_order_relaxed)) {
    const int64_t c = next.fetch_add(1);
    if (c >= chunks) return;
    try {
      (*chunk)(c, participant);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      halt();
    }
    poll_hook(*this);
  }
}

class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  // Runs call on `threads` participants. A short call (chunks of ~1 ms at most):
  // the caller is one of them, polling the hook between its chunks, and
  // threads - 1 workers are woken; a long call: `threads` workers while the
  // caller waits in slices, polling the hook.
  void run(Call& call, int threads, bool caller_works) {
    const int workers = caller_works ? threads - 1 : threads;
    grow(workers);
    t_last_poll = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      call_ = &call;
      wanted_ = workers;
      // a long call waits for every woken worker; a short one only for those that joined before
      // the caller ran out of chunks (a worker woken late would otherwise make the caller wait
      // for its wake-up alone, and a sub-millisecond call slower on two threads than on one)
      late_join_ = caller_works;
      active_ = caller_works ? 0 : workers;
      ++generation_;
    }
    wake_.notify_all();
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    if (caller_works) {
      call.work(threads - 1);
      lock.lock();
      call_ = nullptr;  // closed: a worker not yet joined stays out
    } else {
      lock.lock();
    }
    while (active_ > 0) {
      if (done_.wait_for(lock, kPollSlice, [&] { return active_ == 0; })) break;
      if (!call.stop.load()) {
        lock.unlock();
        poll_hook(call);
        lock.lock();
      }
    }
    call_ = nullptr;
  }

  std::mutex busy;  // one call at a time; others (and nested calls) run inline

 private:
  void grow(int threads) {
    std::lock_guard<std::mutex> lock(mutex_);
    while (int(workers_.size()) < threads) {
      const int id = int(workers_.size());
      workers_.emplace_back([this, id] { loop(id); });
    }
  }

  void loop(int id) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      if (id >= wanted_ || call_ == nullptr) continue;
      if (late_join_) ++active_;
      Call* call = call_;
      lock.unlock();
      call->work(id);
      lock.lock();
      if (--active_ == 0) done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  Call* call_ = nullptr;
  uint64_t generation_ = 0;
  int wanted_ = 0, active_ = 0;
  bool late_join_ = false;  // workers count themselves in as they join (short calls)
  bool quit_ = false;
};

// Runs call on a thread of its own while the caller polls the hook: for a long
// call that finds the pool serving another one. False if no thread could be made.
bool run_on_helper_thread(Call& call) {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::thread helper;
  try {
    helper = std::thread([&] {
      call.work(0);
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      done_cv.notify_all();
    });
  } catch (const std::system_error&) {
    return false;
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (!done_cv.wait_for(lock, kPollSlice, [&] { return done; })) {
      lock.unlock();
      poll_hook(call);
      lock.lock();
    }
  }
  helper.join();
  return true;
}

std::mutex g_pool_mutex;
Pool* g_pool = nullptr;  // never destroyed: worker threads must not be joined at exit

void forget_pool_in_child() {
  // the child has none of the parent's threads; leak the old pool, build anew
  new (&g_pool_mutex) std::mutex();
  g_pool = nullptr;
}

Pool& pool() {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, forget_pool_in_child);
    return true;
  }();
  (void)registered;
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (!g_pool) g_pool = new Pool();
  return *g_pool;
}

}  // namespace

int num_threads() { return g_threads.load(); }
void set_num_threads(int n) { g_threads.store(n < 1 ? 1 : n); }
void set_interrupt_hook(InterruptHook hook) { g_hook.store(hook); }
const volatile int* cancel_flag() { return t_call == nullptr ? nullptr : &t_call->cancel; }
bool cancelled() {
  Call* c = t_call;
  if (c == nullptr) return false;
  poll_hook(*c);
  return c->stop.load(std::memory_order_relaxed);
}

void run_chunks(int64_t chunks, int threads, const std::function<void(int64_t, int)>& chunk, bool long_call) {
  Call call;
  call.chunk = &chunk;
  call.chunks = chunks;
  Pool& p = pool();
  std::unique_lock<std::mutex> busy(p.busy, std::defer_lock);
  const bool is_worker = t_call != nullptr && !t_polls;  // nested call from a pool worker
  const bool polls = t_polls;
  struct RestorePolls {
    bool value;
    ~RestorePolls() { t_polls = value; }
  } restore{polls};
  if (!is_worker) t_polls = true;
  t_last_poll = std::chrono::steady_clock::now();
  if ((threads > 1 || long_call) && !is_worker) busy.try_lock();
  if (busy.owns_lock()) {
    p.run(call, threads, !long_call && threads > 1);
  } else if (!(long_call && !is_worker && run_on_helper_thread(call))) {
    // small call, a nested call from a worker, or (no thread to spare) the
    // pool serving another Python thread: run here, polling between chunks
    call.work(0);
  }
  if (call.interrupted) throw Interrupted();
  if (call.error) std::rethrow_exception(call.error);
}

}  // namespace bigrad
