NAME          K5010W14.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -118.         R0000000  634.        
    C0000001  OBJROW     -52.          R0000000  904.        
    C0000002  OBJROW     -30.          R0000000  91.         
    C0000003  OBJROW     -773.         R0000000  160.        
    C0000004  OBJROW     -412.         R0000000  929.        
    C0000005  OBJROW     -302.         R0000000  9.          
    C0000006  OBJROW     -669.         R0000000  73.         
    C0000007  OBJROW     -260.         R0000000  481.        
    C0000008  OBJROW     -671.         R0000000  338.        
    C0000009  OBJROW     -236.         R0000000  881.        
RHS
    RHS       R0000000  2250.       
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
