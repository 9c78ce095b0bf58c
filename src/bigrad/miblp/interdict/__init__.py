"""Zero-sum interdiction with a monotone follower (``solve(method="interdiction")``).

- :mod:`.value_function_cuts`: detecting the structure, and the master and follower models of the
  value-function cut loop with their cuts;
- :mod:`.leader_reductions`: dominance and maximality rows that keep an optimal leader decision;
- :mod:`.master_search`: the cut pool and a cheap search for master points between master solves;
- :mod:`.driver`: the loop itself, with bounds, time limit and Ctrl-C handling.
"""
