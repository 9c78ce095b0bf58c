NAME          F5010W01.KNP   
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -86.          R0000000  112.        
    C0000001  OBJROW     -129.         R0000000  14.         
    C0000002  OBJROW     -32.          R0000000  156.        
    C0000003  OBJROW     -230.         R0000000  175.        
    C0000004  OBJROW     -165.         R0000000  82.         
    C0000005  OBJROW     -260.         R0000000  221.        
    C0000006  OBJROW     -83.          R0000000  44.         
    C0000007  OBJROW     -138.         R0000000  94.         
    C0000008  OBJROW     -236.         R0000000  292.        
    C0000009  OBJROW     -95.          R0000000  223.        
RHS
    RHS       R0000000  706.        
BOUNDS
 BV BOUND     C0000000  1.          
 BV BOUND     C0000001  1.          
 BV BOUND     C0000002  1.          
 BV BOUND     C0000003  0.          
 BV BOUND     C0000004  1.          
 BV BOUND     C0000005  0.          
 BV BOUND     C0000006  1.          
 BV BOUND     C0000007  1.          
 BV BOUND     C0000008  0.          
 BV BOUND     C0000009  1.          
ENDATA
