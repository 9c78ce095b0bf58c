NAME          K5010W10.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -198.         R0000000  714.        
    C0000001  OBJROW     -316.         R0000000  57.         
    C0000002  OBJROW     -406.         R0000000  384.        
    C0000003  OBJROW     -748.         R0000000  499.        
    C0000004  OBJROW     -598.         R0000000  782.        
    C0000005  OBJROW     -829.         R0000000  133.        
    C0000006  OBJROW     -404.         R0000000  924.        
    C0000007  OBJROW     -79.          R0000000  615.        
    C0000008  OBJROW     -914.         R0000000  250.        
    C0000009  OBJROW     -232.         R0000000  288.        
RHS
    RHS       R0000000  2323.       
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
