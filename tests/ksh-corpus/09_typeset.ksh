# typeset: -x exports; NAME=value without -x removes the export attribute in ksh93u+m.
typeset -x TX1=exported
typeset TT1=not-exported
typeset TOM_ADMIN=/opt/other/admin
export RE=1
typeset RE=2
typeset DECLARED
DECLARED=still-not-exported
typeset -x LATER
LATER=exported-later
typeset HOME
typeset PATH=$PATH:/opt/vtom/typeset
typeset LANG=C
typeset PS4='> '
TMOUT=0 ; export TMOUT
