NAME          K5010W20.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -852.         R0000000  368.        
    C0000001  OBJROW     -855.         R0000000  707.        
    C0000002  OBJROW     -450.         R0000000  622.        
    C0000003  OBJROW     -448.         R0000000  28.         
    C0000004  OBJROW     -746.         R0000000  63.         
    C0000005  OBJROW     -865.         R0000000  340.        
    C0000006  OBJROW     -802.         R0000000  791.        
    C0000007  OBJROW     -343.         R0000000  346.        
    C0000008  OBJROW     -644.         R0000000  352.        
    C0000009  OBJROW     -159.         R0000000  914.        
RHS
    RHS       R0000000  2265.       
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
