# No-op commands, used for their ${NAME:=default} side effects.
: ${TOM_DEFAULT:=/opt/vtom/default}
export TOM_DEFAULT
true
false
: "${QUOTED_DEFAULT:=a b}"
export QUOTED_DEFAULT
: plain arguments * ? are ignored
