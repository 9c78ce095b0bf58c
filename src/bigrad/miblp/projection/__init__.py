"""The projection-based reformulation and decomposition of Yue, Gao, Zeng and You (2019).

- :mod:`.column_generation`: :func:`~.column_generation.solve`, which picks the method, and the
  column-and-constraint generation loop;
- :mod:`.master_problem`: the master problem (P5), a MILP;
- :mod:`.reformulation`: the "in the projection set" constraints of one enumerated follower
  integer choice, in one of three forms:
  :mod:`.critical_regions` (lazily separated cuts of optimal bases), :mod:`.kkt_blocks` (the
  follower LP's KKT system with big-M constants) or :mod:`.dual_polyhedron` (a disjunction over
  the vertices and rays of the follower's dual polyhedron);
- :mod:`.leader_enumeration`: exact enumeration of the leader's linking decisions, for small
  decision spaces.

The subproblems at a fixed leader decision (P6, P7) are in :mod:`bigrad.miblp.responses`.
"""
