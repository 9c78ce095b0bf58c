* Moore & Bard (1990) toy bilevel problem, MibS conventions.
*   min_{x,y} -x - 10 y
*   s.t. y in argmin_y { y : -25x + 20y <= 30, x + 2y <= 10, 2x - y <= 15, 2x + 10y >= 15 }
*        x, y >= 0 integer.      Optimum (x, y) = (2, 2), F = -22.
NAME          moore_bard
ROWS
 N  OBJ
 L  R0
 L  R1
 L  R2
 G  R3
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    x         OBJ                 -1   R0                 -25
    x         R1                   1   R2                   2
    x         R3                   2
    y         OBJ                -10   R0                  20
    y         R1                   2   R2                  -1
    y         R3                  10
    MARKER                 'MARKER'                 'INTEND'
RHS
    RHS       R0                  30   R1                  10
    RHS       R2                  15   R3                  15
BOUNDS
 PL BND       x
 PL BND       y
ENDATA
