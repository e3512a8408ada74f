#!/bin/ksh
#============================================================
# vtom_init.ksh - environment of the Visual TOM jobs
#============================================================
# oracle-ignore: ORACLE_SID_LIST
# oracle-skipped: 27:construct_compound 32:construct_command_substitution

# --- Visual TOM
TOM_HOME=/opt/vtom   ; export TOM_HOME
TOM_ADMIN=$TOM_HOME/admin ; export TOM_ADMIN
ABM_BIN=$TOM_HOME/abm/bin ; export ABM_BIN
ABM_LOGS=$TOM_HOME/logs   ; export ABM_LOGS

# --- Locale
LANG=${LANG:-C} ; export LANG
NLS_LANG="FRENCH_FRANCE.WE8ISO8859P15" ; export NLS_LANG

# --- Oracle
ORACLE_BASE=/u01/app/oracle
ORACLE_HOME=$ORACLE_BASE/product/19c ; export ORACLE_HOME
PATH=$ORACLE_HOME/bin:$PATH:$ABM_BIN
export PATH
LD_LIBRARY_PATH=$ORACLE_HOME/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH

# --- Site specific
if [ -f /etc/oratab ]
then
  ORACLE_SID_LIST=yes
  export ORACLE_SID_LIST
fi
HOSTNAME_SHORT=$(hostname | cut -d. -f1)
export APP_ROOT=/data/app   APP_LOG=/data/app/log
umask_value=022
export TMPDIR=${TMPDIR:-/tmp}
