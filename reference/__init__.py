"""Independent references (brute force, HiGHS MILP formulations, scipy solutions) shared by tests/ and bench/."""
