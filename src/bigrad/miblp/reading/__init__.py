"""Reading MibS / BOBILib instances.

- :mod:`.mps_file`: MPS files (fixed and free format), :func:`~.mps_file.read_mps`;
- :mod:`.aux_file`: the auxiliary ``.aux`` file naming the follower's variables and rows,
  :func:`~.aux_file.read_aux`;
- :mod:`.mps_aux`: the two together as a :class:`~bigrad.miblp.problem.Problem`,
  :func:`~.mps_aux.read_mps_aux`.
"""
