# Every way of exporting that the init files use.
export PATH=$PATH:/opt/vtom/tools
export TOM_QUEUE=queue_ksh
export A1 B1=2 C1
A1=set-after-export
typeset -x T1=typeset-x
typeset -x T2
T2=assigned-later
typeset -xx T3=double-x
typeset -x -- T4=after-dashes
export -- E1=after-dashes
HELPER=not-exported
NOT_YET=value-before-export
export NOT_YET   
export	TABBED=1	  
export C1
'export' QUOTED_COMMAND=1
export UNSET_BUT_EXPORTED
export "EXPANDED=a  b" 'LITERAL=$x' "NAME"=~/not-expanded
PAIRS='PAIR1=1 PAIR2=2' ; export $PAIRS
export "PAIR1"+=-appended
