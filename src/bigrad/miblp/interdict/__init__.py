"""Zero-sum interdiction with a monotone follower (``solve(method="interdiction")``).

- :mod:`.value_function_cuts`: detecting the structure, and the master and follower models of the
  value-function cut loop with their cuts;
- :mod:`.driver`: the loop itself, with bounds, time limit and Ctrl-C handling.
"""
