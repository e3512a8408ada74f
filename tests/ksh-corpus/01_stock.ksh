#!/bin/ksh
# Visual TOM environment, as written by the agent installer.
TOM_HOME=/opt/vtom ; export TOM_HOME
TOM_ADMIN=${TOM_HOME}/admin ; export TOM_ADMIN
TOM_BIN=$TOM_HOME/bin ; export TOM_BIN
ABM_BIN=$TOM_HOME/abm/bin
export ABM_BIN
TOM_LOG=$TOM_HOME/logs ; export TOM_LOG
TOM_JOBS=$TOM_HOME/jobs ; export TOM_JOBS
PATH=$PATH:$ABM_BIN ; export PATH
LD_LIBRARY_PATH=$TOM_HOME/lib:${LD_LIBRARY_PATH} ; export LD_LIBRARY_PATH
