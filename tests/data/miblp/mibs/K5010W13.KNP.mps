NAME          K5010W13.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -10.          R0000000  526.        
    C0000001  OBJROW     -201.         R0000000  699.        
    C0000002  OBJROW     -840.         R0000000  288.        
    C0000003  OBJROW     -674.         R0000000  579.        
    C0000004  OBJROW     -1000.        R0000000  870.        
    C0000005  OBJROW     -11.          R0000000  436.        
    C0000006  OBJROW     -976.         R0000000  679.        
    C0000007  OBJROW     -489.         R0000000  708.        
    C0000008  OBJROW     -754.         R0000000  461.        
    C0000009  OBJROW     -961.         R0000000  910.        
RHS
    RHS       R0000000  3078.       
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
