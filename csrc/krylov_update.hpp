// Fused vector updates of batched conjugate gradients (bigrad.krylov.cg on the CPU).
#pragma once

#include <cstdint>

namespace bigrad {

// One CG step after the matvec Ap = A p, for the rows b < B (each n entries, row-major,
// contiguous; Ap rows ld_ap apart), in one sweep per row:
//   pAp = p.Ap; a member with active[b] and !(pAp > 0) breaks down (broke[b] = 1, inactive);
//   alpha = rz/pAp; x += alpha p; r -= alpha Ap; rr = r.r; iters[b] += 1;
//   active[b] &= rr > thr2[b] && iters[b] < budget[b];
//   if still active: p = r + (rr/rz) p and rz[b] = rr.
// Inactive rows are not touched. rr_out[b] receives r.r of every row that was active.
// Returns the number of rows still active.
template <typename T>
int64_t cg_step(int64_t B, int64_t n, T* x, T* r, T* p, const T* Ap, int64_t ld_ap, T* rz, const T* thr2,
                int64_t* iters, const int64_t* budget, uint8_t* active, uint8_t* broke);

}  // namespace bigrad
