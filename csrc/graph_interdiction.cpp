// Interdictor-first shortest-path interdiction: a depth-first path-hitting
// branch and bound (the scheme of Malik, Mittal & Gupta (1989) for the most
// vital arcs), one instance per thread.
//
// An interdiction that beats the follower's current shortest path P must block
// an edge of P. So a node (S blocked, F forbidden) branches on the free edges
// a_1, a_2, ... of its path (w > 0, not in S or F, largest w first): child i
// blocks a_i and forbids a_<i, which partitions the sets that hit P. Subtrees
// are pruned by upper bounds from paths the follower may keep: the node's own
// path (v(S) + w_{a_i} + the r - 1 largest later w on it), and a pool of good
// paths found so far (each path's cost under the child's S, plus its r - 1
// largest w that may still be blocked). A greedy interdiction gives the first
// incumbent.
//
// The follower's problem is A* on reduced costs: the potentials are the
// distances to the target under z, consistent for every z + x * w >= z, so
// the reduced costs are non-negative (also for negative z on a DAG) and the
// search mostly stays near the shortest paths. Path costs are summed in path
// order from the source.
#include "graph_interdiction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <vector>

#include "batch.hpp"
#include "radix_heap.hpp"

namespace bigrad {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kPoolSize = 128;

// Follower paths for upper bounds: of the distinct paths offered, the kPoolSize
// with the smallest z(q) plus the `budget` largest w on q. Each path's cost
// under the blocked edges of every depth of the search is kept up to date
// (cost_[d][slot], through an edge -> slots index), so that a bound costs
// O(pool) plus the walk to each path's r1 largest free w.
class PathPool {
 public:
  void reset(int budget, int64_t E) {
    budget_ = budget;
    slots_.clear();
    seen_.clear();
    index_.assign(size_t(E), {});
    cost_.assign(size_t(budget) + 1, std::vector<double>(kPoolSize, 0.0));
  }

  // The search blocks edge a at `depth` (chosen[0..depth) blocked before it).
  void block(int64_t a, int depth, const double* w) {
    std::vector<double>& next = cost_[size_t(depth) + 1];
    next = cost_[size_t(depth)];
    for (const uint16_t slot : index_[size_t(a)]) next[slot] += w[a];
  }

  // Offer a path (edges in order) found with `chosen` blocked, at its depth.
  void offer(const std::vector<int64_t>& path, const std::vector<int64_t>& chosen, const double* z, const double* w);

  // min over the pool of what the follower pays on q in the subtree of a node at
  // `depth` (the blocked/forbidden flags its own) with r1 edges still to block:
  // q's cost now plus its r1 largest w that may still be blocked. Returns early
  // once <= stop.
  double bound(int depth, int r1, const uint8_t* blocked, const int32_t* forbid, const double* w, double stop) const {
    const std::vector<double>& cost = cost_[size_t(depth)];
    double best = kInf;
    for (size_t slot = 0; slot < slots_.size(); ++slot) {
      double c = cost[slot];
      int k = 0;
      for (auto e = slots_[slot].by_w.begin(); k < r1 && e != slots_[slot].by_w.end(); ++e) {
        if (!blocked[*e] && forbid[*e] == 0 && w[*e] > 0) {
          c += w[*e];
          ++k;
        }
      }
      best = std::min(best, c);
      if (best <= stop) break;
    }
    return best;
  }

 private:
  struct Slot {
    std::vector<int64_t> by_w;  // q's edges, largest w first
    double base, score;         // z(q); z(q) + its budget largest w
  };
  int budget_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::vector<uint16_t>> index_;  // per edge: the slots whose path uses it
  std::vector<std::vector<double>> cost_;     // [depth][slot]: q's cost under the blocked edges of that depth
  std::unordered_set<uint64_t> seen_;
};

void PathPool::offer(const std::vector<int64_t>& path, const std::vector<int64_t>& chosen, const double* z,
                     const double* w) {
  uint64_t hash = 0x9e3779b97f4a7c15ull;
  for (const int64_t e : path) hash = (hash ^ uint64_t(e)) * 0xff51afd7ed558ccdull + 0x632be59bd9b4e5f5ull;
  if (!seen_.insert(hash).second) return;  // offered before (a 64-bit collision only loosens bounds)
  Slot q{path, 0.0, 0.0};
  std::sort(q.by_w.begin(), q.by_w.end(), [w](int64_t a, int64_t b) { return w[a] > w[b] || (w[a] == w[b] && a < b); });
  for (const int64_t e : path) q.base += z[e];
  q.score = q.base;
  for (size_t k = 0; k < q.by_w.size() && k < size_t(budget_); ++k) q.score += w[q.by_w[k]];
  size_t slot = slots_.size();
  if (slot == kPoolSize) {  // full: replace the worst, if this one scores better
    slot = size_t(std::max_element(slots_.begin(), slots_.end(),
                                   [](const Slot& a, const Slot& b) { return a.score < b.score; }) -
                  slots_.begin());
    if (!(q.score < slots_[slot].score)) return;
    for (const int64_t e : slots_[slot].by_w) {
      auto& at = index_[size_t(e)];
      at.erase(std::find(at.begin(), at.end(), uint16_t(slot)));
    }
    slots_[slot] = std::move(q);
  } else {
    slots_.push_back(std::move(q));
  }
  const std::vector<int64_t>& edges = slots_[slot].by_w;
  for (const int64_t e : edges) index_[size_t(e)].push_back(uint16_t(slot));
  double cost = slots_[slot].base;  // depth d: chosen[0..d) blocked
  for (size_t d = 0; d <= chosen.size(); ++d) {
    if (d > 0 && std::find(edges.begin(), edges.end(), chosen[d - 1]) != edges.end()) cost += w[chosen[d - 1]];
    cost_[d][slot] = cost;
  }
}

class Interdictor {
 public:
  explicit Interdictor(const GraphArrays& g)
      : g_(g), h_(size_t(g.n)), dist_(size_t(g.n)), pred_(size_t(g.n)), stamp_(size_t(g.n), 0),
        blocked_(size_t(g.E), 0), forbid_(size_t(g.E), 0) {}

  // One instance; returns the follower problems solved.
  int64_t solve(const double* z, const double* w, int budget, int32_t s, int32_t t, double gap_tol, uint8_t* x,
                double* value) {
    z_ = z, w_ = w, s_ = s, t_ = t, gap_tol_ = gap_tol, evals_ = 0, stop_ = false;
    std::fill(x, x + g_.E, uint8_t(0));
    best_.clear();
    budget = int(std::min<int64_t>(budget, g_.E));
    paths_.resize(size_t(budget) + 1);
    cands_.resize(size_t(budget) + 1);
    const double root = potentials() ? follow(paths_[0]) : kInf;
    *value = root;
    if (!(root < kInf) || budget == 0) return evals_;
    pool_.reset(budget, g_.E);
    chosen_.clear();
    pool_.offer(paths_[0], chosen_, z_, w_);
    greedy(budget, root);
    search(0, budget, root);
    for (const int64_t e : best_) x[e] = 1;
    for (const int64_t e : best_) blocked_[size_t(e)] = 1;
    *value = follow(paths_[0]);
    for (const int64_t e : best_) blocked_[size_t(e)] = 0;
    return evals_;
  }

 private:
  bool potentials();
  double follow(std::vector<int64_t>& path);
  void greedy(int budget, double root);
  void search(int depth, int r, double v);

  void record(double cost) {  // a better interdiction: the blocked edges of chosen_
    lower_ = cost;
    tol_ = gap_tol_ * std::max(1.0, std::fabs(cost));
    best_ = chosen_;
  }

  const GraphArrays& g_;
  const double *z_ = nullptr, *w_ = nullptr;
  int32_t s_ = 0, t_ = 0;
  double gap_tol_ = 0, lower_ = 0, tol_ = 0;
  std::vector<double> h_, dist_;  // distances to the target under z; A* labels
  std::vector<int64_t> pred_;
  std::vector<uint32_t> stamp_;  // dist_/pred_ valid where stamp_ == gen_
  uint32_t gen_ = 0;
  std::vector<uint8_t> blocked_;
  std::vector<int32_t> forbid_;
  std::vector<int64_t> chosen_, best_;
  std::vector<std::vector<int64_t>> paths_, cands_;  // per depth: the node's path, its free edges
  std::vector<double> prefix_;
  PathPool pool_;
  RadixHeap<double> heap_;
  int64_t evals_ = 0;
  bool stop_ = false;
};

// h_: the distances to the target under z (reverse topological pass on a DAG,
// reverse Dijkstra otherwise). False when the source cannot reach the target.
bool Interdictor::potentials() {
  std::fill(h_.begin(), h_.end(), kInf);
  h_[size_t(t_)] = 0.0;
  if (g_.dag && g_.order) {
    for (int32_t i = g_.n - 1; i >= 0; --i) {
      const int32_t u = g_.order[i];
      if (u == t_) continue;
      double best = kInf;
      for (int64_t e = g_.out_ptr[u]; e < g_.out_ptr[u + 1]; ++e) best = std::min(best, z_[e] + h_[size_t(g_.out_dst[e])]);
      h_[size_t(u)] = best;
    }
    return h_[size_t(s_)] < kInf;
  }
  heap_.clear();
  heap_.push(0.0, uint32_t(t_));
  RadixHeap<double>::Key k;
  uint32_t popped;
  while (heap_.pop(k, popped)) {
    const int32_t v = int32_t(popped);
    const double d = h_[size_t(v)];
    if (k != RadixHeap<double>::key(d)) continue;  // stale entry
    for (int64_t i = g_.in_ptr[v]; i < g_.in_ptr[v + 1]; ++i) {
      const int32_t u = g_.in_src[i];
      const double nd = d + z_[g_.in_eid[i]];
      if (nd < h_[size_t(u)]) {
        h_[size_t(u)] = nd;
        heap_.push(nd, uint32_t(u));
      }
    }
  }
  return h_[size_t(s_)] < kInf;
}

// The follower's shortest path under z + blocked * w into `path` (edges in
// order); returns its cost (+inf when the target is not reached).
double Interdictor::follow(std::vector<int64_t>& path) {
  if (++evals_ % 64 == 0 && cancelled()) stop_ = true;
  if (++gen_ == 0) {  // the stamps wrapped around
    std::fill(stamp_.begin(), stamp_.end(), 0u);
    gen_ = 1;
  }
  heap_.clear();
  stamp_[size_t(s_)] = gen_;
  dist_[size_t(s_)] = 0.0;
  heap_.push(0.0, uint32_t(s_));
  RadixHeap<double>::Key k;
  uint32_t popped;
  bool reached = false;
  while (heap_.pop(k, popped)) {
    const int32_t u = int32_t(popped);
    const double d = dist_[size_t(u)];
    if (k != RadixHeap<double>::key(d)) continue;  // stale entry
    if (u == t_) {
      reached = true;
      break;
    }
    const double hu = h_[size_t(u)];
    for (int64_t e = g_.out_ptr[u]; e < g_.out_ptr[u + 1]; ++e) {
      const int32_t v = g_.out_dst[e];
      const double hv = h_[size_t(v)];
      if (!(hv < kInf)) continue;  // cannot reach the target
      double rc = z_[e] + (blocked_[size_t(e)] ? w_[e] : 0.0) + hv - hu;
      if (!(rc > 0.0)) rc = 0.0;  // consistent potentials: only rounding goes below 0
      const double nd = d + rc;
      if (stamp_[size_t(v)] != gen_ || nd < dist_[size_t(v)]) {
        stamp_[size_t(v)] = gen_;
        dist_[size_t(v)] = nd;
        pred_[size_t(v)] = e;
        heap_.push(nd, uint32_t(v));
      }
    }
  }
  path.clear();
  if (!reached) return kInf;
  for (int32_t v = t_; v != s_;) {
    const int64_t e = pred_[size_t(v)];
    path.push_back(e);
    v = g_.edge_src[e];
  }
  std::reverse(path.begin(), path.end());
  double cost = 0.0;
  for (const int64_t e : path) cost += z_[e] + (blocked_[size_t(e)] ? w_[e] : 0.0);
  return cost;
}

// The first incumbent: block, one at a time, the path edge that raises the
// follower's cost most (paths_[0] holds the unblocked path, cost root).
void Interdictor::greedy(int budget, double root) {
  lower_ = -kInf;
  chosen_.clear();
  record(root);
  std::vector<int64_t> path = paths_[0], trial;
  const std::vector<int64_t> none;
  for (int step = 0; step < budget && !stop_; ++step) {
    int64_t pick = -1;
    double most = -kInf;
    std::vector<int64_t> picked;
    for (const int64_t e : path) {
      if (!(w_[e] > 0) || blocked_[size_t(e)]) continue;
      blocked_[size_t(e)] = 1;
      const double c = follow(trial);
      pool_.offer(trial, none, z_, w_);  // its cost with nothing blocked (the search's depth 0)
      blocked_[size_t(e)] = 0;
      if (c > most) most = c, pick = e, picked = trial;
    }
    if (pick < 0) break;
    blocked_[size_t(pick)] = 1;
    chosen_.push_back(pick);
    path.swap(picked);
    if (most > lower_ + tol_) record(most);
  }
  for (const int64_t e : chosen_) blocked_[size_t(e)] = 0;
  chosen_.clear();
}

// The node at `depth` (blocked: chosen_, its path paths_[depth], cost v), r edges left to block.
void Interdictor::search(int depth, int r, double v) {
  std::vector<int64_t>& cand = cands_[size_t(depth)];
  cand.clear();
  for (const int64_t e : paths_[size_t(depth)])
    if (w_[e] > 0 && !blocked_[size_t(e)] && forbid_[size_t(e)] == 0) cand.push_back(e);
  const double* w = w_;
  std::sort(cand.begin(), cand.end(), [w](int64_t a, int64_t b) { return w[a] > w[b] || (w[a] == w[b] && a < b); });
  const size_t m = cand.size();
  std::vector<double> later(m + 1, 0.0);  // later[i]: the w of cand[i..i + r - 2] (the r - 1 largest after i - 1)
  for (size_t i = m; i-- > 0;) later[i] = later[i + 1] + w[cand[i]] - (i + size_t(r) - 1 < m ? w[cand[i + size_t(r) - 1]] : 0.0);
  size_t i = 0;
  for (; i < m && !stop_; ++i) {
    const int64_t a = cand[i];
    if (v + w[a] + (r > 1 ? later[i + 1] : 0.0) <= lower_ + tol_) break;  // later children bound lower still
    blocked_[size_t(a)] = 1;
    pool_.block(a, depth, w);
    chosen_.push_back(a);
    if (pool_.bound(depth + 1, r - 1, blocked_.data(), forbid_.data(), w, lower_ + tol_) > lower_ + tol_) {
      std::vector<int64_t>& path = paths_[size_t(depth) + 1];
      const double cost = follow(path);
      pool_.offer(path, chosen_, z_, w_);
      if (cost > lower_ + tol_) record(cost);
      if (r > 1 && cost < kInf) search(depth + 1, r - 1, cost);
    }
    chosen_.pop_back();
    blocked_[size_t(a)] = 0;
    ++forbid_[size_t(a)];
  }
  for (size_t j = 0; j < i; ++j) --forbid_[size_t(cand[j])];
}

}  // namespace

void graph_interdiction_cpu(const GraphArrays& g, const double* z, const double* w, int64_t B, int budget,
                            int32_t source, int32_t target, double gap_tol, uint8_t* x, double* value, int64_t* nodes) {
  const double work = (double(g.E) + double(g.n)) * 64.0 * double(std::max(budget, 1));
  for_each_instance(
      B, work, [&] { return Interdictor(g); },
      [&](int64_t b, Interdictor& solver) {
        nodes[b] = solver.solve(z + b * g.E, w + b * g.E, budget, source, target, gap_tol, x + b * g.E, value + b);
      });
}

}  // namespace bigrad
