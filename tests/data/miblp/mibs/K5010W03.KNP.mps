NAME          K5010W03.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -356.         R0000000  872.        
    C0000001  OBJROW     -662.         R0000000  403.        
    C0000002  OBJROW     -149.         R0000000  128.        
    C0000003  OBJROW     -780.         R0000000  449.        
    C0000004  OBJROW     -134.         R0000000  601.        
    C0000005  OBJROW     -36.          R0000000  450.        
    C0000006  OBJROW     -479.         R0000000  359.        
    C0000007  OBJROW     -420.         R0000000  251.        
    C0000008  OBJROW     -735.         R0000000  311.        
    C0000009  OBJROW     -258.         R0000000  76.         
RHS
    RHS       R0000000  1950.       
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
