# An unterminated quote is a syntax error: nothing of the file takes effect.
# oracle-skipped: 4:construct_unterminated_quote
export NOT_SET_1=1
export NOT_SET_2="never closed
unset OLD_VAR
