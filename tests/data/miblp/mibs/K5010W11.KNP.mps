NAME          K5010W11.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -550.         R0000000  66.         
    C0000001  OBJROW     -211.         R0000000  953.        
    C0000002  OBJROW     -415.         R0000000  200.        
    C0000003  OBJROW     -235.         R0000000  75.         
    C0000004  OBJROW     -543.         R0000000  230.        
    C0000005  OBJROW     -796.         R0000000  957.        
    C0000006  OBJROW     -895.         R0000000  942.        
    C0000007  OBJROW     -466.         R0000000  101.        
    C0000008  OBJROW     -432.         R0000000  406.        
    C0000009  OBJROW     -842.         R0000000  821.        
RHS
    RHS       R0000000  2375.       
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
