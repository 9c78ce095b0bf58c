NAME          moore90
ROWS
 L  R1
 L  R2
 L  R3
 L  R4
 N  Obj
COLUMNS
    INT1      'MARKER'                 'INTORG'
    LV     R1     20
    LV     R2      2
    LV     R3     -1
    LV     R4     -10
    LV     Obj    -10
    UV     R1     -25
    UV     R2      1
    UV     R3      2
    UV     R4     -2
    UV     Obj    -1
    INT1END   'MARKER'                 'INTEND'
RHS
    B         R1     30
    B         R2     10
    B         R3     15
    B         R4     -15
BOUNDS
 UP BOUND     UV     10
 UP BOUND     LV     5
ENDATA
