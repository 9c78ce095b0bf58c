NAME          K5010W06.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -168.         R0000000  684.        
    C0000001  OBJROW     -547.         R0000000  45.         
    C0000002  OBJROW     -584.         R0000000  678.        
    C0000003  OBJROW     -513.         R0000000  805.        
    C0000004  OBJROW     -978.         R0000000  478.        
    C0000005  OBJROW     -417.         R0000000  549.        
    C0000006  OBJROW     -914.         R0000000  302.        
    C0000007  OBJROW     -225.         R0000000  485.        
    C0000008  OBJROW     -226.         R0000000  788.        
    C0000009  OBJROW     -65.          R0000000  623.        
RHS
    RHS       R0000000  2718.       
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
