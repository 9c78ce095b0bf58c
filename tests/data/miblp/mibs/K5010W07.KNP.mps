NAME          K5010W07.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -276.         R0000000  146.        
    C0000001  OBJROW     -398.         R0000000  217.        
    C0000002  OBJROW     -420.         R0000000  930.        
    C0000003  OBJROW     -999.         R0000000  17.         
    C0000004  OBJROW     -20.          R0000000  400.        
    C0000005  OBJROW     -415.         R0000000  419.        
    C0000006  OBJROW     -938.         R0000000  888.        
    C0000007  OBJROW     -424.         R0000000  73.         
    C0000008  OBJROW     -627.         R0000000  610.        
    C0000009  OBJROW     -496.         R0000000  673.        
RHS
    RHS       R0000000  2186.       
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
