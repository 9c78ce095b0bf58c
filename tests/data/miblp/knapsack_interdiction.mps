* Knapsack interdiction toy (MibS interdiction format: the MPS holds the
* follower's problem only, objective = follower objective in min form).
*   follower: max 7y1 + 5y2 + 4y3 + 2y4 s.t. 4y1 + 3y2 + 2y3 + y4 <= 5, y binary
*   leader: interdict items with cost 1 each, budget 2, to minimise the follower's profit.
*   Optimum: interdict items 1 and 2, follower takes {3, 4}, profit 6.
NAME          kip4
ROWS
 N  OBJ
 L  CAP
COLUMNS
    y1        OBJ                 -7   CAP                  4
    y2        OBJ                 -5   CAP                  3
    y3        OBJ                 -4   CAP                  2
    y4        OBJ                 -2   CAP                  1
RHS
    RHS       CAP                  5
BOUNDS
 BV BND       y1
 BV BND       y2
 BV BND       y3
 BV BND       y4
ENDATA
