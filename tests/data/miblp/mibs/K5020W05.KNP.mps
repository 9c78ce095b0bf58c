NAME          K5020W05.KNP
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
    C0000010  OBJROW     -534.         R0000000  363.        
    C0000011  OBJROW     -411.         R0000000  168.        
    C0000012  OBJROW     -584.         R0000000  507.        
    C0000013  OBJROW     -465.         R0000000  134.        
    C0000014  OBJROW     -482.         R0000000  980.        
    C0000015  OBJROW     -119.         R0000000  438.        
    C0000016  OBJROW     -172.         R0000000  597.        
    C0000017  OBJROW     -183.         R0000000  758.        
    C0000018  OBJROW     -362.         R0000000  797.        
    C0000019  OBJROW     -321.         R0000000  886.        
RHS
    RHS       R0000000  4864.       
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
