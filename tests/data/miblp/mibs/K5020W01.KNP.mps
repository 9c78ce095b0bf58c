NAME          K5020W01.KNP
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
    C0000010  OBJROW     -178.         R0000000  774.        
    C0000011  OBJROW     -905.         R0000000  661.        
    C0000012  OBJROW     -58.          R0000000  46.         
    C0000013  OBJROW     -745.         R0000000  379.        
    C0000014  OBJROW     -744.         R0000000  904.        
    C0000015  OBJROW     -99.          R0000000  979.        
    C0000016  OBJROW     -688.         R0000000  334.        
    C0000017  OBJROW     -849.         R0000000  389.        
    C0000018  OBJROW     -985.         R0000000  86.         
    C0000019  OBJROW     -114.         R0000000  541.        
RHS
    RHS       R0000000  4853.       
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
