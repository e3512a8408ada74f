# Tilde expansion uses HOME.
export H1=~
export H2=~/bin
PATH=~/bin:~/lib:$PATH ; export PATH
export H3="~/quoted"
export H4='~/single'
export H5=x~
export H6=\~/escaped
export H7=${UNSET_VAR:-~/fallback}
export H8=a:~/after-colon
H9=b:~/plain-assignment ; export H9
export H10=~/a:~
