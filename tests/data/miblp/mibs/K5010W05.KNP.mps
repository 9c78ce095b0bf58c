NAME          K5010W05.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -816.         R0000000  332.        
    C0000001  OBJROW     -651.         R0000000  150.        
    C0000002  OBJROW     -768.         R0000000  780.        
    C0000003  OBJROW     -937.         R0000000  158.        
    C0000004  OBJROW     -530.         R0000000  173.        
    C0000005  OBJROW     -593.         R0000000  990.        
    C0000006  OBJROW     -896.         R0000000  451.        
    C0000007  OBJROW     -739.         R0000000  471.        
    C0000008  OBJROW     -70.          R0000000  115.        
    C0000009  OBJROW     -885.         R0000000  480.        
RHS
    RHS       R0000000  2050.       
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
