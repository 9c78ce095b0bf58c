NAME          K5010W09.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -736.         R0000000  606.        
    C0000001  OBJROW     -387.         R0000000  963.        
    C0000002  OBJROW     -38.          R0000000  664.        
    C0000003  OBJROW     -996.         R0000000  553.        
    C0000004  OBJROW     -167.         R0000000  138.        
    C0000005  OBJROW     -330.         R0000000  681.        
    C0000006  OBJROW     -376.         R0000000  354.        
    C0000007  OBJROW     -10.          R0000000  543.        
    C0000008  OBJROW     -56.          R0000000  764.        
    C0000009  OBJROW     -754.         R0000000  101.        
RHS
    RHS       R0000000  2683.       
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
