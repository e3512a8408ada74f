@echo off
rem Basic set forms of a vtom_init.bat: every line here is evaluated by the parser.
:: a label-style comment
set TOM_PLAIN=value
set TOM_TRAIL=trailing space 
set "TOM_QUOTED=value with spaces"
set TOM_RAW="keeps quotes"
set "TOM_JUNK=kept"ignored text
set TOM_EQ=a=b
set TOM_AMP=a^&b
set "TOM_AMP2=x & y"
set TOM_PCT=100%%
set TOM_LONE=50%
set TOM_UNDEF=[%NOT_DEFINED_AT_ALL%]
set Tom_Mixed=Case
set TOM_MIXED_REF=%tom_mixed%
set TOM_NAME_SPACE = spaced
set TOM_DELETE=x
set TOM_DELETE=
set "TOM_DELETE2=y"
set "TOM_DELETE2="
set TOM_BANG=!NOT_DELAYED!
set TOM_CARETS=bar ^^^| baz
set TOM_REDIRECT=1>nul
set TOM_A=first & set TOM_B=%TOM_A%
set TOM_TAB=	tab
  @  set TOM_LEAD=leading blanks
SET TOM_UPPER=upper command
set TOM_JOIN=one^
two
echo set TOM_NOT_SET=1
REM set TOM_NOT_SET=2 & set TOM_NOT_SET=3
