NAME          K5010W19.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -500.         R0000000  174.        
    C0000001  OBJROW     -959.         R0000000  157.        
    C0000002  OBJROW     -634.         R0000000  196.        
    C0000003  OBJROW     -872.         R0000000  567.        
    C0000004  OBJROW     -298.         R0000000  786.        
    C0000005  OBJROW     -688.         R0000000  673.        
    C0000006  OBJROW     -978.         R0000000  808.        
    C0000007  OBJROW     -576.         R0000000  211.        
    C0000008  OBJROW     -346.         R0000000  86.         
    C0000009  OBJROW     -521.         R0000000  565.        
RHS
    RHS       R0000000  2111.       
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
