# Several commands on one line.
S1=1;S2=2;export S1 S2
S3=3 ; S4=$S3 ; export S3 S4 ;
S5=a S6=$S5 S7=${S6}b ; export S5 S6 S7
export S8=x;S8=y
