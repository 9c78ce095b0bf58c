#include "batch.hpp"

#include <atomic>
#include <cstdlib>

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

}  // namespace

int num_threads() { return g_threads.load(); }
void set_num_threads(int n) { g_threads.store(n < 1 ? 1 : n); }

}  // namespace bigrad
