NAME          K5010W02.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -248.         R0000000  764.        
    C0000001  OBJROW     -457.         R0000000  309.        
    C0000002  OBJROW     -993.         R0000000  165.        
    C0000003  OBJROW     -393.         R0000000  862.        
    C0000004  OBJROW     -793.         R0000000  27.         
    C0000005  OBJROW     -402.         R0000000  999.        
    C0000006  OBJROW     -185.         R0000000  228.        
    C0000007  OBJROW     -16.          R0000000  135.        
    C0000008  OBJROW     -706.         R0000000  44.         
    C0000009  OBJROW     -720.         R0000000  807.        
RHS
    RHS       R0000000  2170.       
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
