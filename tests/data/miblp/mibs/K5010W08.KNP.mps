NAME          K5010W08.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -628.         R0000000  254.        
    C0000001  OBJROW     -293.         R0000000  68.         
    C0000002  OBJROW     -318.         R0000000  766.        
    C0000003  OBJROW     -293.         R0000000  260.        
    C0000004  OBJROW     -164.         R0000000  911.        
    C0000005  OBJROW     -918.         R0000000  410.        
    C0000006  OBJROW     -948.         R0000000  432.        
    C0000007  OBJROW     -679.         R0000000  762.        
    C0000008  OBJROW     -468.         R0000000  416.        
    C0000009  OBJROW     -287.         R0000000  155.        
RHS
    RHS       R0000000  2217.       
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
