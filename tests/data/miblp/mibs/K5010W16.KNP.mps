NAME          K5010W16.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -578.         R0000000  448.        
    C0000001  OBJROW     -152.         R0000000  617.        
    C0000002  OBJROW     -731.         R0000000  274.        
    C0000003  OBJROW     -648.         R0000000  681.        
    C0000004  OBJROW     -859.         R0000000  498.        
    C0000005  OBJROW     -312.         R0000000  823.        
    C0000006  OBJROW     -859.         R0000000  108.        
    C0000007  OBJROW     -368.         R0000000  823.        
    C0000008  OBJROW     -547.         R0000000  890.        
    C0000009  OBJROW     -384.         R0000000  104.        
RHS
    RHS       R0000000  2633.       
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
