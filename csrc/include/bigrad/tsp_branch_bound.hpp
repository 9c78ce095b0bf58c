// Exact symmetric travelling salesman tours by branch and bound on
// Held–Karp 1-tree bounds (Held & Karp 1971, with the branching rule of
// Volgenant & Jonker 1982).
//
// Bound. For multipliers pi, with modified costs c'(i,j) = d(i,j) + pi_i + pi_j,
// every tour costs its modified cost minus 2 sum(pi), which is at least
//   L(pi) = (min 1-tree under c') - 2 sum(pi),
// a 1-tree being a spanning tree of cities 1..n-1 plus two edges at city 0.
// pi is improved by subgradient steps pi += t (deg - 2) (Polyak steps towards
// the incumbent). Fixed edges are honoured: an included edge is taken first by
// Prim's algorithm (it has weight -inf there), an excluded one is never taken.
//
// Search. Depth-first. At a node whose best 1-tree is not a tour, a city v of
// degree > 2 is picked (the largest degree, lowest index) and two of its free
// tree edges e1, e2 (the cheapest two under c'): children "exclude e1",
// "include e1, exclude e2" and "include e1 and e2" (then every other edge of
// v is excluded). Including an edge excludes the one that would close a
// subtour. Before branching, a free edge whose forced insertion into the
// 1-tree already raises the bound to the incumbent is excluded (reduced-cost
// elimination). Multipliers are inherited by the children.
//
// Start. The incumbent is a nearest-neighbour tour from city 0 improved by
// 2-opt and Or-opt moves until no move gains.
//
// Exactness. Everything is computed in double. A node is pruned when its
// bound is not below the incumbent by more than a rounding margin (relative
// 1e-12 of the costs' scale); for integer-valued costs a tour must be at least
// one unit better, so bounds are rounded up. The answer is an optimal tour up
// to that margin. The result depends only on the instance: the same
// sequential code runs whatever the thread count, ties going to lower indices.
//
// Workspace: tsp_bb_workspace_bytes(n) bytes, passed in; no allocation.
// Cancellable (bigrad/cancel.hpp): the search polls the flag at every node.
#pragma once

#include <cmath>
#include <cstdint>

#include "bigrad/common.hpp"
#include "bigrad/lane_vec.hpp"
#include "bigrad/tsp.hpp"

namespace bigrad {

// Largest n of the search (city sets are uint64 masks; a state per depth, at most n (n - 1) / 2 + 1 depths).
constexpr int kTspBbMaxN = 64;
// Smallest n the drivers send to the branch and bound (when dist is symmetric):
// below it Held–Karp's fixed O(n^2 2^n) work is as fast or faster (measured
// on one core: both about 5 us at n = 10; 7 us against 28 us at n = 12).
constexpr int kTspBbMinN = 12;

// Which solver an instance goes to.
BIGRAD_HD bool tsp_use_branch_bound(int n, bool symmetric) { return symmetric && n >= kTspBbMinN; }

namespace detail {

struct TspBbSizes {
  int n, depth, stride;
  int64_t state_bytes;  // one search state: pi, degrees of included edges, fixed-edge marks
};

BIGRAD_HD TspBbSizes tsp_bb_sizes(int n) {
  TspBbSizes s;
  s.n = n;
  s.depth = n * (n - 1) / 2 + 2;
  s.stride = (n + 3) / 4 * 4;
  s.state_bytes = (int64_t(n) * 8 + int64_t(n) * n + n + 7) / 8 * 8;
  return s;
}

}  // namespace detail

// Workspace bytes of one instance of tsp_branch_bound.
BIGRAD_HD int64_t tsp_bb_workspace_bytes(int n) {
  const auto s = detail::tsp_bb_sizes(n);
  // doubles: d, maxpath (n*n each), cm (n*stride), key, par, done, pip, iota (stride each), best_pi, g
  // (n each); ints: parent, order, best_parent, tour, best_tour, deg (n each) + frames (4 per depth); states.
  return int64_t(8) * (2 * int64_t(n) * n + int64_t(n) * s.stride + 5 * s.stride + 2 * n) +
         int64_t(4) * (6 * n + 4 * s.depth) + s.state_bytes * s.depth + 64;
}

namespace detail {

// One search state: multipliers, count of included edges per city, edge marks
// (0 free, 1 included, -1 excluded; symmetric).
struct TspBbState {
  double* pi;
  int8_t* fix;
  int8_t* ndeg;
};

struct TspBb {
  int n, stride;
  const double* d;  // n x n symmetric, row-major
  double* maxpath;  // n x n: heaviest free edge on the tree path (i, j)
  double* cm;       // n x stride: the node's edge costs (tsp_bb_node_costs)
  double* key;      // stride values each: Prim's keys, parents, closed cities, multipliers, 0..stride-1
  double* par;
  double* done;
  double* pip;
  double* iota;
  double* best_pi;
  double* g;
  int* parent;       // 1-tree on cities 1..n-1: parent[j] (-1 for its root, city 1; parent[0] unused)
  int* order;        // cities 1..n-1, parents before children (tsp_bb_eliminate)
  int* best_parent;  // the tree of the best bound at the current node
  int* tour;         // scratch tour
  int* best_tour;    // incumbent, as a city order
  int* deg;
  int* frames;       // per depth: v, a, b, next child
  unsigned char* states;
  int64_t state_bytes;
  double ub;         // incumbent cost
  double margin;     // rounding margin of a bound
  bool integral;
  int zero_a, zero_b;  // the two edges of city 0 in the last 1-tree
  int best_zero_a, best_zero_b;
};

BIGRAD_HD TspBbState tsp_bb_state(const TspBb& s, int level) {
  unsigned char* p = s.states + s.state_bytes * level;
  TspBbState st;
  st.pi = reinterpret_cast<double*>(p);
  st.fix = reinterpret_cast<int8_t*>(p + 8 * s.n);
  st.ndeg = st.fix + s.n * s.n;
  return st;
}

BIGRAD_HD void tsp_bb_copy_state(const TspBb& s, int from, int to) {
  const unsigned char* a = s.states + s.state_bytes * from;
  unsigned char* b = s.states + s.state_bytes * to;
  for (int64_t i = 0; i < s.state_bytes; ++i) b[i] = a[i];
}

// Whether a bound L proves that no tour strictly better than the incumbent exists.
BIGRAD_HD bool tsp_bb_prunes(const TspBb& s, double L) {
  if (s.integral) return L > s.ub - 1 + s.margin;
  return L >= s.ub + s.margin;
}

BIGRAD_HD double tsp_tour_length(const double* d, int n, const int* tour) {
  double c = 0;
  for (int i = 0; i < n; ++i) c += d[tour[i] * n + tour[(i + 1) % n]];
  return c;
}

// Edge costs of a node for tsp_one_tree, rows padded to s.stride: excluded
// edges (and the diagonal, padding) +inf, included ones -inf (taken before
// any free edge), free ones d. tsp_one_tree marks closed cities with +inf, so
// an included edge into a closed city sums to NaN, which no comparison takes.
BIGRAD_HD void tsp_bb_node_costs(TspBb& s, const TspBbState& st) {
  const int n = s.n, P = s.stride;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < P; ++k) {
      const int8_t f = k < n ? st.fix[i * n + k] : int8_t(-1);
      s.cm[i * P + k] = f < 0 ? HUGE_VAL : (f > 0 ? -HUGE_VAL : s.d[i * n + k]);
    }
  }
}

// Min 1-tree under cm + pi (Prim's algorithm on cities 1..n-1 from city 1,
// one fused SIMD pass per step updating the keys and finding the next city,
// ties to the lower index; then the two cheapest edges of city 0). Returns
// L(pi) computed from the true costs d, or +inf if no 1-tree exists. Fills
// parent, deg, zero_a / zero_b.
BIGRAD_HD double tsp_one_tree(TspBb& s, const TspBbState& st) {
  constexpr int L = tsp_lanes<double>();
  using V = LaneVec<double, L>;
  const int n = s.n, P = s.stride;
  const double inf = HUGE_VAL;
  double* __restrict__ pi = s.pip;
  double* __restrict__ key = s.key;
  double* __restrict__ par = s.par;
  double* __restrict__ dm = s.done;  // 0 for an open city of 1..n-1, +inf otherwise
  const double* __restrict__ iota = s.iota;
  const double* __restrict__ cm = s.cm;
  double sp = 0;
  for (int k = 0; k < P; ++k) {
    pi[k] = k < n ? st.pi[k] : 0.0;
    sp += pi[k];
    key[k] = inf;
    par[k] = -1;
    dm[k] = (k == 0 || k == 1 || k >= n) ? inf : 0.0;
  }
  int cur = 1;
  for (int step = 1; step < n - 1; ++step) {
    const double* row = cm + cur * P;
    const V pc = V::fill(pi[cur]), cv = V::fill(double(cur));
    V vmin = V::fill(inf), vidx = V::fill(0.0);
    for (int c = 0; c < P; c += L) {
      const V open = V::load(dm + c);
      const V w = V::load(row + c) + pc + V::load(pi + c) + open;
      V kk = V::load(key + c);
      const auto m = w < kk;
      kk = V::select(m, w, kk);
      kk.store(key + c);
      V::select(m, cv, V::load(par + c)).store(par + c);
      const V v = kk + open;
      const auto mm = v < vmin;
      vmin = V::select(mm, v, vmin);
      vidx = V::select(mm, V::load(iota + c), vidx);
    }
    double lv[L], li[L];
    vmin.store(lv);
    vidx.store(li);
    double bv = lv[0], bi = li[0];
    for (int l = 1; l < L; ++l) {
      if (lv[l] < bv || (lv[l] == bv && li[l] < bi)) {
        bv = lv[l];
        bi = li[l];
      }
    }
    if (bv == inf) return inf;
    cur = int(bi);
    dm[cur] = inf;
  }
  double total = 0;
  for (int j = 0; j < n; ++j) s.deg[j] = 0;
  s.parent[0] = -1;
  s.parent[1] = -1;
  for (int j = 2; j < n; ++j) {
    const int p = int(par[j]);
    s.parent[j] = p;
    s.deg[j] += 1;
    s.deg[p] += 1;
    total += s.d[p * n + j] + pi[p] + pi[j];
  }
  // City 0: the two cheapest under cm (included edges first).
  int a = -1, b = -1;
  double wa = inf, wb = inf;
  for (int k = 1; k < n; ++k) {
    const double w = s.cm[k] + pi[0] + pi[k];
    if (w < wa) {
      b = a, wb = wa;
      a = k, wa = w;
    } else if (w < wb) {
      b = k, wb = w;
    }
  }
  if (b < 0 || wb == inf) return inf;
  s.zero_a = a;
  s.zero_b = b;
  s.deg[0] = 2;
  s.deg[a] += 1;
  s.deg[b] += 1;
  total += s.d[a] + s.d[b] + 2 * pi[0] + pi[a] + pi[b];
  return total - 2 * sp;
}

// Walk the included path from `from` leaving `prev`; returns its far end, adds edges to *len.
BIGRAD_HD int tsp_bb_path_end(const TspBb& s, const TspBbState& st, int prev, int from, int* len) {
  const int n = s.n;
  for (;;) {
    int next = -1;
    for (int k = 0; k < n; ++k) {
      if (k != prev && k != from && st.fix[from * n + k] > 0) {
        next = k;
        break;
      }
    }
    if (next < 0) return from;
    ++*len;
    prev = from;
    from = next;
  }
}

BIGRAD_HD void tsp_bb_set(const TspBb& s, const TspBbState& st, int u, int v, int8_t value) {
  st.fix[u * s.n + v] = value;
  st.fix[v * s.n + u] = value;
}

// Exclude every free edge of a city with two included edges.
BIGRAD_HD void tsp_bb_saturate(const TspBb& s, const TspBbState& st, int u) {
  if (st.ndeg[u] < 2) return;
  for (int k = 0; k < s.n; ++k) {
    if (k != u && st.fix[u * s.n + k] == 0) tsp_bb_set(s, st, u, k, -1);
  }
}

// Include edge (u, v) and propagate; false if the state became infeasible.
BIGRAD_HD bool tsp_bb_include(const TspBb& s, const TspBbState& st, int u, int v) {
  const int n = s.n;
  const int8_t f = st.fix[u * n + v];
  if (f > 0) return true;
  if (f < 0 || st.ndeg[u] >= 2 || st.ndeg[v] >= 2) return false;
  tsp_bb_set(s, st, u, v, 1);
  st.ndeg[u] += 1;
  st.ndeg[v] += 1;
  int len = 1;
  const int e1 = tsp_bb_path_end(s, st, v, u, &len);
  const int e2 = tsp_bb_path_end(s, st, u, v, &len);
  if (len == n - 1) {
    // a Hamiltonian path: its closing edge completes the only tour left
    if (st.fix[e1 * n + e2] < 0) return false;
    tsp_bb_set(s, st, e1, e2, 1);
    st.ndeg[e1] += 1;
    st.ndeg[e2] += 1;
  } else if (st.fix[e1 * n + e2] == 0) {
    tsp_bb_set(s, st, e1, e2, -1);  // would close a subtour
  }
  tsp_bb_saturate(s, st, u);
  tsp_bb_saturate(s, st, v);
  if (len == n - 1) {
    tsp_bb_saturate(s, st, e1);
    tsp_bb_saturate(s, st, e2);
  }
  return true;
}

BIGRAD_HD bool tsp_bb_exclude(const TspBb& s, const TspBbState& st, int u, int v) {
  const int8_t f = st.fix[u * s.n + v];
  if (f > 0) return false;
  tsp_bb_set(s, st, u, v, -1);
  return true;
}

// Record the 1-tree (which is a tour: every degree 2) as incumbent if it is better.
BIGRAD_HD void tsp_bb_offer_tree_tour(TspBb& s) {
  const int n = s.n;
  // adjacency from parent links + city 0's edges; walk it
  int* t = s.tour;
  int prev = 0, cur = s.zero_a;
  t[0] = 0;
  for (int i = 1; i < n; ++i) {
    t[i] = cur;
    int next = -1;
    if (cur == s.zero_b && i == n - 1) break;
    // neighbours of cur: parent[cur], children (parent[k] == cur), city 0
    if (s.parent[cur] >= 0 && s.parent[cur] != prev) next = s.parent[cur];
    for (int k = 1; next < 0 && k < n; ++k) {
      if (s.parent[k] == cur && k != prev) next = k;
    }
    if (next < 0) return;  // not a path (cannot happen when every degree is 2)
    prev = cur;
    cur = next;
  }
  const double c = tsp_tour_length(s.d, n, t);
  if (c < s.ub) {
    s.ub = c;
    for (int i = 0; i < n; ++i) s.best_tour[i] = t[i];
  }
}

// Subgradient ascent on pi (in st) for at most `iters` steps. Returns the best
// bound; st.pi holds its multipliers and best_parent / best_zero_* its tree.
// Returns +inf for an infeasible node and for a node whose 1-tree is a tour
// (then offered to the incumbent: nothing better lies below it).
BIGRAD_HD double tsp_bb_bound(TspBb& s, const TspBbState& st, int iters, double lambda) {
  const int n = s.n;
  tsp_bb_node_costs(s, st);
  double best = -HUGE_VAL;
  int stall = 0;
  const int patience = n / 2 > 5 ? n / 2 : 5;
  for (int it = 0; it < iters; ++it) {
    const double L = tsp_one_tree(s, st);
    if (L == HUGE_VAL) return HUGE_VAL;
    double norm = 0;
    for (int j = 0; j < n; ++j) {
      s.g[j] = double(s.deg[j] - 2);
      norm += s.g[j] * s.g[j];
    }
    if (norm == 0) {
      tsp_bb_offer_tree_tour(s);
      return HUGE_VAL;
    }
    if (L > best) {
      best = L;
      stall = 0;
      for (int j = 0; j < n; ++j) {
        s.best_pi[j] = st.pi[j];
        s.best_parent[j] = s.parent[j];
      }
      s.best_zero_a = s.zero_a;
      s.best_zero_b = s.zero_b;
      if (tsp_bb_prunes(s, best)) break;
    } else if (++stall >= patience) {
      lambda *= 0.5;
      stall = 0;
    }
    if (it + 1 == iters) break;
    double gap = s.ub - L;
    if (!(gap > 0)) gap = s.margin > 0 ? s.margin : 1e-12;
    const double t = lambda * gap / norm;
    for (int j = 0; j < n; ++j) st.pi[j] += t * s.g[j];
  }
  for (int j = 0; j < n; ++j) {
    st.pi[j] = s.best_pi[j];
    s.parent[j] = s.best_parent[j];
  }
  s.zero_a = s.best_zero_a;
  s.zero_b = s.best_zero_b;
  return best;
}

// Block moves (the root's remedy for clustered instances). Cut the tree of
// the 1-tree (rooted at city 1) at one edge: the cities below it, S, are
// crossed by the 1-tree c times (that edge, plus city 0's edges into S). Every
// tour crosses a cut twice, and while the 1-tree keeps its shape, adding
// (c - 2) delta to pi on S raises L by |c - 2| delta: one step closes a gap
// that plain subgradient steps close only slowly (two clusters far apart: a
// 1-tree crosses between them once, a tour twice). For each cut in
// turn, delta is halved from ub - L until L grows; the cut that gains most
// moves, and the cuts are recomputed, at most `rounds` times.
// st.pi must be the multipliers of the tree in parent / zero_*; returns the
// new bound, with st.pi, parent and zero_* its own. Uses maxpath as scratch.
BIGRAD_HD double tsp_bb_block_ascent(TspBb& s, const TspBbState& st, double L, int rounds) {
  const int n = s.n;
  uint64_t* sub = reinterpret_cast<uint64_t*>(s.maxpath);  // sub[j]: cities below j, j included
  for (int r = 0; r < rounds; ++r) {
    int cnt = 0, root = -1;
    for (int j = 1; j < n; ++j)
      if (s.parent[j] < 0) root = j;
    if (root < 0) return L;
    s.order[cnt++] = root;
    for (int h = 0; h < cnt; ++h) {
      const int u = s.order[h];
      for (int k = 1; k < n; ++k)
        if (s.parent[k] == u) s.order[cnt++] = k;
    }
    if (cnt != n - 1) return L;
    for (int j = 0; j < n; ++j) sub[j] = uint64_t(1) << j;
    for (int h = cnt - 1; h > 0; --h) sub[s.parent[s.order[h]]] |= sub[s.order[h]];
    for (int j = 0; j < n; ++j) {
      s.best_pi[j] = st.pi[j];
      s.best_parent[j] = s.parent[j];
    }
    const int za = s.zero_a, zb = s.zero_b;
    bool moved = false;
    double bestL = L, bestd = 0;
    uint64_t bestS = 0;
    for (int h = 1; h < cnt; ++h) {
      const uint64_t S = sub[s.order[h]];
      const int c = 1 + int((S >> za) & 1u) + int((S >> zb) & 1u);
      if (c == 2) continue;
      const double dir = c < 2 ? -1.0 : 1.0;  // c is 1 or 3
      double delta = s.ub - L;
      for (int tries = 0; tries < 16 && delta > 0; ++tries, delta *= 0.5) {
        for (int k = 0; k < n; ++k) st.pi[k] = s.best_pi[k] + (((S >> k) & 1u) ? dir * delta : 0.0);
        const double L2 = tsp_one_tree(s, st);
        if (L2 != HUGE_VAL && L2 > L + s.margin) {
          if (L2 > bestL) {
            bestL = L2;
            bestd = dir * delta;
            bestS = S;
          }
          break;
        }
      }
    }
    if (bestS) {
      moved = true;
      for (int k = 0; k < n; ++k) st.pi[k] = s.best_pi[k] + (((bestS >> k) & 1u) ? bestd : 0.0);
      L = tsp_one_tree(s, st);
    }
    if (!moved) {
      for (int k = 0; k < n; ++k) {
        st.pi[k] = s.best_pi[k];
        s.parent[k] = s.best_parent[k];
      }
      s.zero_a = za;
      s.zero_b = zb;
      return L;
    }
  }
  return L;
}

// The root's bound: subgradient steps, then block moves and subgradient steps
// (from the block moves' multipliers, smaller steps) in turn while block moves gain.
BIGRAD_HD double tsp_bb_root_bound(TspBb& s, const TspBbState& st, int iters) {
  double L = tsp_bb_bound(s, st, iters, 2.0);
  for (int rep = 0; rep < 8 && L != HUGE_VAL && !tsp_bb_prunes(s, L); ++rep) {
    const double L1 = tsp_bb_block_ascent(s, st, L, 4 * s.n);
    if (!(L1 > L)) break;
    L = tsp_bb_bound(s, st, iters, 0.5);  // its first step is at L1's multipliers, so L >= L1
  }
  return L;
}

// Reduced-cost elimination on the node's best tree (in parent, order, zero_*):
// exclude every free edge whose insertion forces the bound past the incumbent.
BIGRAD_HD void tsp_bb_eliminate(TspBb& s, const TspBbState& st, double L) {
  const int n = s.n;
  const double* pi = st.pi;
  double* mp = s.maxpath;
  // maxpath[j][k]: heaviest non-included edge on the tree path j..k, filled in
  // an order where parents precede children (BFS from the root of the best tree)
  int cnt = 0;
  {
    // BFS from the root (the city with parent -1 among 1..n-1)
    int root = -1;
    for (int j = 1; j < n; ++j)
      if (s.parent[j] < 0) root = j;
    if (root < 0) return;
    s.order[cnt++] = root;
    for (int h = 0; h < cnt; ++h) {
      const int u = s.order[h];
      for (int k = 1; k < n; ++k)
        if (s.parent[k] == u) s.order[cnt++] = k;
    }
    if (cnt != n - 1) return;
  }
  for (int h = 0; h < cnt; ++h) {
    const int j = s.order[h];
    mp[j * n + j] = -HUGE_VAL;
    if (h == 0) continue;
    const int p = s.parent[j];
    const double w = st.fix[p * n + j] > 0 ? -HUGE_VAL : s.d[p * n + j] + pi[p] + pi[j];
    for (int q = 0; q < h; ++q) {
      const int k = s.order[q];
      const double m = mp[p * n + k] > w ? mp[p * n + k] : w;
      mp[j * n + k] = m;
      mp[k * n + j] = m;
    }
  }
  for (int i = 1; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (st.fix[i * n + j] != 0 || s.parent[i] == j || s.parent[j] == i) continue;
      const double m = mp[i * n + j];
      if (m == -HUGE_VAL) continue;
      const double bound = L + (s.d[i * n + j] + pi[i] + pi[j]) - m;
      if (tsp_bb_prunes(s, bound)) tsp_bb_set(s, st, i, j, -1);
    }
  }
  // city 0: replace its dearer free chosen edge
  const int a = s.zero_a, b = s.zero_b;
  double rep = -HUGE_VAL;
  if (st.fix[b] == 0) rep = s.d[b] + pi[0] + pi[b];
  if (st.fix[a] == 0) {
    const double wa = s.d[a] + pi[0] + pi[a];
    if (wa > rep) rep = wa;
  }
  if (rep == -HUGE_VAL) return;
  for (int k = 1; k < n; ++k) {
    if (k == a || k == b || st.fix[k] != 0) continue;
    const double bound = L + (s.d[k] + pi[0] + pi[k]) - rep;
    if (tsp_bb_prunes(s, bound)) tsp_bb_set(s, st, 0, k, -1);
  }
}

// Initial incumbent: nearest neighbour from city 0, then 2-opt and Or-opt to a local optimum.
BIGRAD_HD void tsp_bb_heuristic(TspBb& s) {
  const int n = s.n;
  const double* d = s.d;
  int* t = s.best_tour;
  uint64_t used = 1;
  t[0] = 0;
  for (int i = 1; i < n; ++i) {
    const int c = t[i - 1];
    int best = -1;
    for (int k = 1; k < n; ++k) {
      if (((used >> k) & 1u) == 0 && (best < 0 || d[c * n + k] < d[c * n + best])) best = k;
    }
    t[i] = best;
    used |= uint64_t(1) << best;
  }
  const double eps = s.margin;
  for (bool improved = true; improved;) {
    improved = false;
    // 2-opt: reverse t[i+1..j]
    for (int i = 0; i < n - 1; ++i) {
      const int a = t[i], b = t[i + 1];
      for (int j = i + 2; j < n; ++j) {
        const int c = t[j], e = t[(j + 1) % n];
        if (e == a) continue;
        const double delta = d[a * n + c] + d[b * n + e] - d[a * n + b] - d[c * n + e];
        if (delta < -eps) {
          for (int l = i + 1, r = j; l < r; ++l, --r) {
            const int x = t[l];
            t[l] = t[r];
            t[r] = x;
          }
          improved = true;
          break;
        }
      }
      if (improved) break;
    }
    if (improved) continue;
    // Or-opt: move a segment of 1..3 cities (not containing position 0) elsewhere, either orientation
    for (int len = 1; len <= 3 && !improved; ++len) {
      for (int i = 1; i + len - 1 < n && !improved; ++i) {
        const int first = t[i], last = t[i + len - 1];
        const int prev = t[i - 1], next = t[(i + len) % n];
        const double removed = d[prev * n + first] + d[last * n + next] - d[prev * n + next];
        for (int j = 0; j < n && !improved; ++j) {
          const int jn = (j + 1) % n;
          if ((j >= i - 1 && j <= i + len - 1)) continue;
          const int x = t[j], y = t[jn];
          const double keep = d[x * n + first] + d[last * n + y] - d[x * n + y];
          const double flip = d[x * n + last] + d[first * n + y] - d[x * n + y];
          const bool reversed = flip < keep;
          const double add = reversed ? flip : keep;
          if (add - removed < -eps) {
            // rebuild the order in s.tour: remove the segment, insert after x
            int* u = s.tour;
            int m = 0;
            for (int q = 0; q < n; ++q) {
              if (q >= i && q < i + len) continue;
              u[m++] = t[q];
              if (q == j) {
                for (int r = 0; r < len; ++r) u[m++] = t[reversed ? i + len - 1 - r : i + r];
              }
            }
            for (int q = 0; q < n; ++q) t[q] = u[q];
            improved = true;
          }
        }
      }
    }
  }
  s.ub = tsp_tour_length(d, n, t);
}

}  // namespace detail

// Optimal tour of one symmetric instance (3 <= n <= kTspBbMaxN; only the
// upper triangle of dist is read, in double): writes succ[i] = the city after
// i (n ints) and returns the tour cost as tsp_finish_tour does (in T, oriented
// canonically). work: tsp_bb_workspace_bytes(n) bytes, 8-byte aligned.
// Cancelled: returns NaN (tsp_cancelled_cost) with the best tour found so far
// (a valid tour, not proven optimal) in succ. node_limit > 0: after that many
// bounded nodes the search gives up and returns +inf, again with the best tour
// so far in succ (the driver's caller then solves the instance another way).
template <typename T>
BIGRAD_HD T tsp_branch_bound(const T* dist, int n, unsigned char* work, int* succ,
                             const volatile int* cancel = nullptr, int64_t node_limit = 0) {
  using namespace detail;
  const auto sz = tsp_bb_sizes(n);
  TspBb s;
  s.n = n;
  auto* dp = reinterpret_cast<double*>(work);
  double* dd = dp;
  s.d = dd;
  s.stride = sz.stride;
  s.maxpath = dp + int64_t(n) * n;
  s.cm = s.maxpath + int64_t(n) * n;
  s.key = s.cm + int64_t(n) * sz.stride;
  s.par = s.key + sz.stride;
  s.done = s.par + sz.stride;
  s.pip = s.done + sz.stride;
  s.iota = s.pip + sz.stride;
  for (int k = 0; k < sz.stride; ++k) s.iota[k] = k;
  s.best_pi = s.iota + sz.stride;
  s.g = s.best_pi + n;
  int* ip = reinterpret_cast<int*>(s.g + n);
  s.parent = ip;
  s.order = ip + n;
  s.best_parent = ip + 2 * n;
  s.tour = ip + 3 * n;
  s.best_tour = ip + 4 * n;
  s.deg = ip + 5 * n;
  s.frames = ip + 6 * n;
  auto addr = reinterpret_cast<uintptr_t>(s.frames + 4 * sz.depth);
  s.states = reinterpret_cast<unsigned char*>((addr + 7) / 8 * 8);
  s.state_bytes = sz.state_bytes;

  double scale = 0;
  bool integral = true;
  for (int i = 0; i < n; ++i) {
    double row = 0;
    for (int j = 0; j < n; ++j) {
      const double v = i == j ? 0.0 : double(dist[i < j ? i * n + j : j * n + i]);
      dd[i * n + j] = v;
      const double a = std::fabs(v);
      if (a > row) row = a;
      if (integral && (v != std::floor(v) || a > 4503599627370496.0)) integral = false;
    }
    scale += row;
  }
  s.integral = integral;
  s.margin = 1e-12 * (scale > 1e-300 ? scale : 1e-300) * n;
  tsp_bb_heuristic(s);

  // root state
  TspBbState root = tsp_bb_state(s, 0);
  for (int j = 0; j < n; ++j) {
    root.pi[j] = 0;
    root.ndeg[j] = 0;
  }
  for (int i = 0; i < n * n; ++i) root.fix[i] = 0;
  for (int i = 0; i < n; ++i) root.fix[i * n + i] = -1;

  // Subgradient steps: many at the root, fewer (warm-started) below; measured
  // on random, clustered and non-metric instances of 16 to 30 cities.
  const int root_iters = 40 + 8 * n;
  const int node_iters = 30 + n;
  int level = 0;
  bool expand = true;  // the state at `level` awaits its bound
  int* fr = s.frames;
  bool stopped = false, exhausted = false;
  int64_t nodes = 0;
  for (;;) {
    if (cancel_requested(cancel)) {
      stopped = true;
      break;
    }
    if (expand) {
      if (node_limit > 0 && ++nodes > node_limit) {
        exhausted = true;
        break;
      }
      TspBbState st = tsp_bb_state(s, level);
      const double L = level == 0 ? tsp_bb_root_bound(s, st, root_iters) : tsp_bb_bound(s, st, node_iters, 2.0);
      bool branch = L != HUGE_VAL && !tsp_bb_prunes(s, L);
      if (branch) {
        tsp_bb_eliminate(s, st, L);
        // branching city: largest tree degree (> 2), lowest index; its two cheapest free tree edges
        for (int j = 0; j < n; ++j) s.deg[j] = 0;
        for (int j = 1; j < n; ++j) {
          if (s.parent[j] >= 0) {
            s.deg[j] += 1;
            s.deg[s.parent[j]] += 1;
          }
        }
        s.deg[0] = 2;
        s.deg[s.zero_a] += 1;
        s.deg[s.zero_b] += 1;
        int v = -1;
        for (int j = 0; j < n; ++j) {
          if (s.deg[j] > 2 && (v < 0 || s.deg[j] > s.deg[v])) v = j;
        }
        int a = -1, b = -1;
        double wa = HUGE_VAL, wb = HUGE_VAL;
        for (int k = 0; k < n && v >= 0; ++k) {
          if (k == v) continue;
          const bool tree = v == 0 ? (k == s.zero_a || k == s.zero_b)
                                   : (k == 0 ? (v == s.zero_a || v == s.zero_b)
                                             : (s.parent[k] == v || s.parent[v] == k));
          if (!tree || st.fix[v * n + k] != 0) continue;
          const double w = s.d[v * n + k] + st.pi[v] + st.pi[k];
          if (w < wa) {
            b = a, wb = wa;
            a = k, wa = w;
          } else if (w < wb) {
            b = k, wb = w;
          }
        }
        if (v < 0 || a < 0) {
          branch = false;  // cannot happen for a 1-tree that is not a tour
        } else {
          fr[4 * level + 0] = v;
          fr[4 * level + 1] = a;
          fr[4 * level + 2] = st.ndeg[v] >= 1 ? -1 : b;  // one included edge already: two children
          fr[4 * level + 3] = 0;
        }
      }
      if (!branch) {
        if (level == 0) break;
        --level;
      }
      expand = false;
      continue;
    }
    // next child of the node at `level`
    int* f = fr + 4 * level;
    const int v = f[0], a = f[1], b = f[2];
    const int children = b >= 0 ? 3 : 2;
    if (f[3] >= children) {
      if (level == 0) break;
      --level;
      continue;
    }
    const int c = f[3]++;
    // skip children once the parent's bound is beaten (the incumbent may have improved): re-bounding does it
    tsp_bb_copy_state(s, level, level + 1);
    TspBbState ch = tsp_bb_state(s, level + 1);
    bool ok;
    if (c == 0) {
      ok = tsp_bb_exclude(s, ch, v, a);
    } else if (c == 1) {
      ok = tsp_bb_include(s, ch, v, a) && (b < 0 || tsp_bb_exclude(s, ch, v, b));
    } else {
      ok = tsp_bb_include(s, ch, v, a) && tsp_bb_include(s, ch, v, b);
    }
    if (!ok) continue;
    ++level;
    expand = true;
  }
  for (int i = 0; i < n; ++i) succ[s.best_tour[i]] = s.best_tour[(i + 1) % n];
  const T cost = tsp_finish_tour(dist, n, succ);
  if (stopped) return tsp_cancelled_cost<T>();
  return exhausted ? T(HUGE_VAL) : cost;
}

}  // namespace bigrad
