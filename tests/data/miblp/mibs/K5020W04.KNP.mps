NAME          K5020W04.KNP
ROWS
 N  OBJROW
 L  R0000000
COLUMNS
    C0000000  OBJROW     -708.         R0000000  224.        
    C0000001  OBJROW     -447.         R0000000  299.        
    C0000002  OBJROW     -772.         R0000000  590.        
    C0000003  OBJROW     -799.         R0000000  301.        
    C0000004  OBJROW     -698.         R0000000  484.        
    C0000005  OBJROW     -441.         R0000000  103.        
    C0000006  OBJROW     -394.         R0000000  116.        
    C0000007  OBJROW     -801.         R0000000  247.        
    C0000008  OBJROW     -376.         R0000000  516.        
    C0000009  OBJROW     -74.          R0000000  623.        
    C0000010  OBJROW     -400.         R0000000  634.        
    C0000011  OBJROW     -267.         R0000000  928.        
    C0000012  OBJROW     -952.         R0000000  339.        
    C0000013  OBJROW     -121.         R0000000  864.        
    C0000014  OBJROW     -18.          R0000000  761.        
    C0000015  OBJROW     -489.         R0000000  562.        
    C0000016  OBJROW     -586.         R0000000  217.        
    C0000017  OBJROW     -447.         R0000000  584.        
    C0000018  OBJROW     -876.         R0000000  706.        
    C0000019  OBJROW     -79.          R0000000  913.        
RHS
    RHS       R0000000  5005.       
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
