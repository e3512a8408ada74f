@echo off
set TOM_FROM_SUB=%1
set TOM_SUB_TWO=%~2
set TOM_SUB_ALL=%*
setlocal
set TOM_SUB_LOCAL=dropped
