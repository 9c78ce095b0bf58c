NAME          knapsack.mps
ROWS
 N  R0010   
 L  R0001   
 L  R0002   
 L  R0003   
 L  R0004   
 L  R0005   
 L  R0006   
 L  R0007   
 L  R0008   
 L  R0009   
COLUMNS
    MARK0000  'MARKER'                 'INTORG'
    C0001     R0001                           1
    C0001     R0002                           1
    C0001     R0009                           3
    C0002     R0001                           2
    C0002     R0003                           1
    C0002     R0009                           3
    C0003     R0001                           2
    C0003     R0004                           1
    C0003     R0009                           3
    C0004     R0001                           3
    C0004     R0005                           1
    C0004     R0009                           4
    C0005     R0001                           3
    C0005     R0006                           1
    C0005     R0009                           4
    C0006     R0001                           4
    C0006     R0007                           1
    C0006     R0009                           5
    C0007     R0001                           5
    C0007     R0008                           1
    C0007     R0009                           6
    C0008     R0010                           1
    C0008     R0002                           1
    C0009     R0010                           1
    C0009     R0003                           1
    C0010     R0010                           1
    C0010     R0004                           1
    C0011     R0010                           1
    C0011     R0005                           1
    C0012     R0010                           1
    C0012     R0006                           1
    C0013     R0010                           1
    C0013     R0007                           1
    C0014     R0010                           1
    C0014     R0008                           1
    MARK0001  'MARKER'                 'INTEND'
RHS
    rhs       R0001                          10
    rhs       R0002                           1
    rhs       R0003                           1
    rhs       R0004                           1
    rhs       R0005                           1
    rhs       R0006                           1
    rhs       R0007                           1
    rhs       R0008                           1
    rhs       R0009                          13
ENDATA
