# ksh parses the whole file first: the stray `fi` at the end means nothing here runs.
# oracle-skipped: 6:construct_syntax_error
export NOT_SET_1=1
TOM_ADMIN=/changed ; export TOM_ADMIN
unset OLD_VAR
fi
