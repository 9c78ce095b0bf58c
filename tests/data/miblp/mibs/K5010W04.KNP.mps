NAME          K5010W04.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -708.         R0000000  224.        
    C0000001  OBJROW     -447.         R0000000  299.        
    C0000002  OBJROW     -772.         R0000000  590.        
    C0000003  OBJROW     -799.         R0000000  301.        
    C0000004  OBJROW     -698.         R0000000  484.        
    C0000005  OBJROW     -441.         R0000000  103.        
    C0000006  OBJROW     -394.         R0000000  116.        
    C0000007  OBJROW     -801.         R0000000  247.        
    C0000008  OBJROW     -376.         R0000000  516.        
    C0000009  OBJROW     -74.          R0000000  623.        
RHS
    RHS       R0000000  1751.       
BOUNDS
 BV BOUND     C0000000  1.          
 BV BOUND     C0000001  1.          
 BV BOUND     C0000002  1.          
 BV BOUND     C0000003  1.          
 BV BOUND     C0000004  1.          
 BV BOUND     C0000005  1.          
 BV BOUND     C0000006  1.          
 BV BOUND     C0000007  1.          
 BV BOUND     C0000008  1.          
 BV BOUND     C0000009  1.          
ENDATA
