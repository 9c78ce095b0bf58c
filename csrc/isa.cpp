#include "isa.hpp"

#include <stdexcept>
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)  // linux/arch/arm64/include/uapi/asm/hwcap.h
#endif
#endif

namespace bigrad {
namespace {

struct Choice {
  const ShortestPathKernels* shortest_path;
  const TspKernels* tsp;
  const GraphShortestPathKernels* graph;
  // the AVX-512 build of the Krylov kernels ran slower than AVX2 (float32 CG at n = 1e4: 40 against 25 us
  // per iteration, measured on the project's AMD EPYC), so the AVX-512 choice keeps the AVX2 ones: the
  // kernels give the same bits in every ISA
  const KrylovCsrKernels* krylov;
};

std::vector<Choice> compiled_and_supported() {
  std::vector<Choice> out{{&kShortestPathBaseline, &kTspBaseline, &kGraphShortestPathBaseline, &kKrylovCsrBaseline}};
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
#if defined(BIGRAD_HAVE_AVX2)
  if (__builtin_cpu_supports("avx2")) out.push_back({&kShortestPathAvx2, &kTspAvx2, &kGraphShortestPathAvx2, &kKrylovCsrAvx2});
#endif
#if defined(BIGRAD_HAVE_AVX512)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl")) {
    out.push_back({&kShortestPathAvx512, &kTspAvx512, &kGraphShortestPathAvx512,
                    &kKrylovCsrAvx2});
  }
#endif
#elif defined(__aarch64__) && defined(BIGRAD_HAVE_NEON)
#if defined(__linux__)
  if (getauxval(AT_HWCAP) & HWCAP_ASIMD) out.push_back({&kShortestPathNeon, &kTspNeon, &kGraphShortestPathNeon, &kKrylovCsrNeon});
#else
  out.push_back({&kShortestPathNeon, &kTspNeon, &kGraphShortestPathNeon, &kKrylovCsrNeon});  // no HWCAP query outside Linux (macOS): Advanced SIMD is always there
#endif
#endif
  return out;
}

Choice g_choice{&kShortestPathBaseline, &kTspBaseline, &kGraphShortestPathBaseline, &kKrylovCsrBaseline};
std::string g_name = kShortestPathBaseline.isa;

}  // namespace

std::vector<std::string> isa_available() {
  std::vector<std::string> names;
  for (const Choice& c : compiled_and_supported()) names.emplace_back(c.shortest_path->isa);
  return names;
}

void select_isa(const std::string& request) {
  const std::vector<Choice> choices = compiled_and_supported();
  if (request.empty() || request == "auto") {
    g_choice = choices.back();
  } else {
    const std::string want = request == "scalar" ? std::string(kShortestPathBaseline.isa) : request;
    bool found = false;
    for (const Choice& c : choices) {
      if (want == c.shortest_path->isa) {
        g_choice = c;
        found = true;
      }
    }
    if (!found) {
      std::string names;
      for (const std::string& n : isa_available()) names += (names.empty() ? "" : ", ") + n;
      throw std::invalid_argument("BIGRAD_ISA=" + request + " is not available on this CPU/build; choose one of: auto, scalar, " +
                                  names);
    }
  }
  g_name = g_choice.shortest_path->isa;
}

const std::string& isa_name() { return g_name; }
const ShortestPathKernels& shortest_path_kernels() { return *g_choice.shortest_path; }
const TspKernels& tsp_kernels() { return *g_choice.tsp; }
const GraphShortestPathKernels& graph_shortest_path_kernels() { return *g_choice.graph; }
const KrylovCsrKernels& krylov_csr_kernels() { return *g_choice.krylov; }

}  // namespace bigrad
