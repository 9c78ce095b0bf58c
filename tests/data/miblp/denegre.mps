* DeNegre & Ralphs example (DeNegre 2011), fixed MPS format (column positions), finite bounds.
*   min -x - 7y  s.t. -3x + 2y <= 12, x + 2y <= 20, 0 <= x <= 10
*   y in argmin { y : 2x - y <= 7, -2x + 4y <= 16, 0 <= y <= 5 },  x, y integer.
*   Optimum (6, 5), F = -41.
NAME          DENEGRE
ROWS
 N  OBJ
 L  U1
 L  U2
 L  L1
 L  L2
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    X         OBJ               -1.0   U1                -3.0
    X         U2                 1.0   L1                 2.0
    X         L2                -2.0
    Y         OBJ               -7.0   U1                 2.0
    Y         U2                 2.0   L1                -1.0
    Y         L2                 4.0
    MARKER                 'MARKER'                 'INTEND'
RHS
    RHS       U1                12.0   U2                20.0
    RHS       L1                 7.0   L2                16.0
BOUNDS
 UP BND       X                 10.0
 UP BND       Y                  5.0
ENDATA
