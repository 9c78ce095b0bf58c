// Runtime choice of the instruction set for the SIMD kernels.
#pragma once

#include <string>
#include <vector>

#include "isa/graph_shortest_path.hpp"
#include "isa/krylov_csr.hpp"
#include "isa/shortest_path.hpp"
#include "isa/tsp.hpp"

namespace bigrad {

// Instruction sets compiled into this module and supported by this CPU, best last.
std::vector<std::string> isa_available();
// Choose the ISA: `request` empty or "auto" = the best available; otherwise one
// of isa_available() ("scalar" is an alias for the portable baseline). Throws
// std::invalid_argument for a name that is not available.
void select_isa(const std::string& request);
const std::string& isa_name();
const ShortestPathKernels& shortest_path_kernels();
const TspKernels& tsp_kernels();
const GraphShortestPathKernels& graph_shortest_path_kernels();
const KrylovCsrKernels& krylov_csr_kernels();

}  // namespace bigrad
