NAME          K5010W17.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -930.         R0000000  556.        
    C0000001  OBJROW     -937.         R0000000  822.        
    C0000002  OBJROW     -464.         R0000000  188.        
    C0000003  OBJROW     -699.         R0000000  102.        
    C0000004  OBJROW     -168.         R0000000  308.        
    C0000005  OBJROW     -451.         R0000000  998.        
    C0000006  OBJROW     -446.         R0000000  213.        
    C0000007  OBJROW     -964.         R0000000  68.         
    C0000008  OBJROW     -550.         R0000000  959.        
    C0000009  OBJROW     -285.         R0000000  828.        
RHS
    RHS       R0000000  2521.       
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
