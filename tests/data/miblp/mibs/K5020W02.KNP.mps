NAME          K5020W02.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -248.         R0000000  764.        
    C0000001  OBJROW     -457.         R0000000  309.        
    C0000002  OBJROW     -993.         R0000000  165.        
    C0000003  OBJROW     -393.         R0000000  862.        
    C0000004  OBJROW     -793.         R0000000  27.         
    C0000005  OBJROW     -402.         R0000000  999.        
    C0000006  OBJROW     -185.         R0000000  228.        
    C0000007  OBJROW     -16.          R0000000  135.        
    C0000008  OBJROW     -706.         R0000000  44.         
    C0000009  OBJROW     -720.         R0000000  807.        
    C0000010  OBJROW     -594.         R0000000  276.        
    C0000011  OBJROW     -961.         R0000000  567.        
    C0000012  OBJROW     -754.         R0000000  754.        
    C0000013  OBJROW     -63.          R0000000  233.        
    C0000014  OBJROW     -163.         R0000000  496.        
    C0000015  OBJROW     -800.         R0000000  155.        
    C0000016  OBJROW     -587.         R0000000  328.        
    C0000017  OBJROW     -286.         R0000000  369.        
    C0000018  OBJROW     -869.         R0000000  465.        
    C0000019  OBJROW     -540.         R0000000  409.        
RHS
    RHS       R0000000  4196.       
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
