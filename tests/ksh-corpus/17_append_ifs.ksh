# NAME+=value and field splitting of unquoted expansions in arguments.
PATH+=:/opt/vtom/append ; export PATH
NEW+=created ; export NEW
NEW+=-more
X1=1 X2=2 X3=3 X4=4 ; export X1 X2 X3 X4
NAMES="X1  X2"
unset $NAMES
IFS=:
COLON_NAMES=X3:X4
unset $COLON_NAMES
IFS=' 	
'
export SPLIT_ASSIGNMENT=$NAMES
