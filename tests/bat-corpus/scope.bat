@echo off
set TOM_OUTER=outer
setlocal
set TOM_INNER=inner
set TOM_OUTER=changed
endlocal & set TOM_EXPORTED=%TOM_INNER%
if defined TOM_OUTER set TOM_IF1=yes
if not defined TOM_INNER set TOM_IF2=yes
if defined TOM_INNER (set TOM_IF3=then) else (set TOM_IF3=else)
if /i "%TOM_OUTER%"=="OUTER" set TOM_IF4=same & set TOM_IF5=also
if "%TOM_OUTER%"=="OUTER" set TOM_IF6=not same
if 10 GTR 9 set TOM_IF7=numeric
if exist "%SystemRoot%\system32\cmd.exe" set TOM_IF8=exists
setlocal
set TOM_DROPPED=1
goto :eof
set TOM_AFTER_EOF=1
