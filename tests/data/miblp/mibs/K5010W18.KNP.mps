NAME          K5010W18.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -392.         R0000000  908.        
    C0000001  OBJROW     -865.         R0000000  607.        
    C0000002  OBJROW     -914.         R0000000  810.        
    C0000003  OBJROW     -169.         R0000000  960.        
    C0000004  OBJROW     -184.         R0000000  59.         
    C0000005  OBJROW     -435.         R0000000  446.        
    C0000006  OBJROW     -638.         R0000000  940.        
    C0000007  OBJROW     -588.         R0000000  302.        
    C0000008  OBJROW     -366.         R0000000  581.        
    C0000009  OBJROW     -940.         R0000000  668.        
RHS
    RHS       R0000000  3140.       
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
