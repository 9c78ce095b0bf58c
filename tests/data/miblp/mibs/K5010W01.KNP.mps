NAME          K5010W01.KNP   
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -786.         R0000000  412.        
    C0000001  OBJROW     -529.         R0000000  414.        
    C0000002  OBJROW     -432.         R0000000  156.        
    C0000003  OBJROW     -730.         R0000000  375.        
    C0000004  OBJROW     -865.         R0000000  82.         
    C0000005  OBJROW     -760.         R0000000  921.        
    C0000006  OBJROW     -683.         R0000000  544.        
    C0000007  OBJROW     -238.         R0000000  594.        
    C0000008  OBJROW     -236.         R0000000  792.        
    C0000009  OBJROW     -495.         R0000000  323.        
RHS
    RHS       R0000000  2306.       
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
