export ABSOLUTE=yes
return
export AFTER_RETURN=no
