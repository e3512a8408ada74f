@echo off
set TOM_BEFORE_CALL=1
call "%~dp0call_sub.bat" first "second arg"
set TOM_AFTER_CALL=%TOM_FROM_SUB%
