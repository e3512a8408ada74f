# In a UTF-8 locale ksh reads 'é' as part of a variable name; the parser reports it.
# oracle-ignore: N1 NÉ
# oracle-skipped: 5:construct_non_ascii_name 6:construct_non_ascii_name
export N0=${TOM_ADMIN}é
export N1=$TOM_ADMINé
NÉ=x
export N2="${TOM_ADMIN}_é"
