# set -a exports every variable assigned while it is on.
BEFORE=not-exported
set -a
AUTO1=exported
AUTO2=$AUTO1-too
typeset AUTO3=typeset-under-set-a
: ${AUTO4:=from-default}
set +a
AFTER=not-exported
set -o allexport
AUTO5=exported-by-o
set +o allexport
AFTER2=not-exported
. ./lib/allexport_on.ksh
AUTO6=exported-after-include
set +a
