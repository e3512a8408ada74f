# return ends the file being loaded, as in a dot script.
export BEFORE_RETURN=1
. ./lib/absolute.ksh
export AFTER_INCLUDE=1
return
export NOT_REACHED=1
if true; then export NOT_REACHED2=1; fi
