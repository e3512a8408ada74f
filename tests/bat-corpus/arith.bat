@echo off
set /a TOM_N1=0x10+010
set /a TOM_N2=(1+2)*3, TOM_N3=TOM_N2*2
set /a "TOM_N4=1<<4|1"
set TOM_N5=5
set /a TOM_N5+=TOM_UNDEFINED+1
set /a TOM_N6=2147483647+1
set /a TOM_N7=-7/2
set /a TOM_N8=-7%%2
set /a "TOM_N9=~0 & 0xFF"
