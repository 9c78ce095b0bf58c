NAME          K5010W15.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -470.         R0000000  96.         
    C0000001  OBJROW     -947.         R0000000  75.         
    C0000002  OBJROW     -928.         R0000000  182.        
    C0000003  OBJROW     -177.         R0000000  316.        
    C0000004  OBJROW     -833.         R0000000  607.        
    C0000005  OBJROW     -290.         R0000000  972.        
    C0000006  OBJROW     -481.         R0000000  895.        
    C0000007  OBJROW     -328.         R0000000  636.        
    C0000008  OBJROW     -675.         R0000000  669.        
    C0000009  OBJROW     -776.         R0000000  413.        
RHS
    RHS       R0000000  2430.       
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
