# unset removes the variable and its export attribute.
unset OLD_VAR
unset -v EMPTY_VAR NEVER_SET
TEMP=1 ; export TEMP ; unset TEMP
TEMP=2
export GONE=1
unset GONE
GONE=back-but-not-exported
LIST="L1 L2"
L1=1 L2=2 L3=3 ; export L1 L2 L3
unset $LIST
