# Agent environment of the sample agent, in the style of the vtom_init.ksh that the installer
# writes: one `VAR=value ; export VAR` per line. TOM_HOME is set by the sample's start script.
TOM_ADMIN=$TOM_HOME/admin ; export TOM_ADMIN
ABM=$TOM_HOME/abm ; export ABM
ABM_BIN=$ABM/bin ; export ABM_BIN
ABM_SPOOL=$ABM/spool ; export ABM_SPOOL
TOM_LOG_DIR=$TOM_HOME/logs ; export TOM_LOG_DIR
PATH=$PATH:$ABM_BIN ; export PATH

# A site setting, quoted, and a helper variable that stays in the shell (not exported).
export SAMPLE_GREETING="Bonjour from vtom_init"
sample_internal=not-for-the-job
