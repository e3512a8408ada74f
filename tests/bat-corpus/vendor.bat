@echo off
rem vtom_init.bat in the style of an agent install.
set TOM_HOME=C:\vtom
set TOM_ADMIN=%TOM_HOME%\admin
set ABM_BIN=%TOM_HOME%\abm\bin
set ABM_SPOOL=%TOM_HOME%\abm\spool
set PATH=%ABM_BIN%;%PATH%
set PATH=%PATH%;C:\tools
if not defined TOM_LOG_ACTION set "TOM_LOG_ACTION=   "
set TOM_DRIVE=%TOM_HOME:~0,2%
set TOM_TAIL=%TOM_HOME:~-4%
set TOM_MID=%ABM_BIN:~3,3%
set TOM_SLASHES=%ABM_BIN:\=/%
set TOM_REPL=%TOM_HOME:VTOM=absyss%
set TOM_STAR=%ABM_BIN:*abm=X%
path %PATH%;C:\more
