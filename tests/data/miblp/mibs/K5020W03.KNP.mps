NAME          K5020W03.KNP
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
    C0000010  OBJROW     -680.         R0000000  269.        
    C0000011  OBJROW     -539.         R0000000  29.         
    C0000012  OBJROW     -894.         R0000000  846.        
    C0000013  OBJROW     -901.         R0000000  181.        
    C0000014  OBJROW     -956.         R0000000  236.        
    C0000015  OBJROW     -159.         R0000000  294.        
    C0000016  OBJROW     -2.           R0000000  197.        
    C0000017  OBJROW     -777.         R0000000  382.        
    C0000018  OBJROW     -200.         R0000000  435.        
    C0000019  OBJROW     -259.         R0000000  647.        
RHS
    RHS       R0000000  3708.       
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
 BV BOUND     C0000010  1.          
 BV BOUND     C0000011  1.          
 BV BOUND     C0000012  1.          
 BV BOUND     C0000013  1.          
 BV BOUND     C0000014  1.          
 BV BOUND     C0000015  1.          
 BV BOUND     C0000016  1.          
 BV BOUND     C0000017  1.          
 BV BOUND     C0000018  1.          
 BV BOUND     C0000019  1.          
ENDATA
