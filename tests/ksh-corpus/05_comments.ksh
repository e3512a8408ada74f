#!/bin/ksh
#
# Comments, blank lines and spacing.
#

   # indented comment
	# tab-indented comment
COMMENTED=value # trailing comment
export COMMENTED    # another one ; export NOT_THIS
INLINE=a#b ; export INLINE
SEMI=x;export SEMI;# comment after a semicolon
    
   	 
LEADING_BLANKS=1 ; export LEADING_BLANKS
#export COMMENTED_OUT=1
