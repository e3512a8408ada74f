# Includes: relative to the current directory, absolute, `source`, and a PATH search.
BEFORE_INCLUDE=1 ; export BEFORE_INCLUDE
. ./lib/common.ksh
. $CORPUS/lib/absolute.ksh
source lib/sourced.ksh
PATH=$CORPUS/lib:$PATH
. path_search.ksh
PATH=/usr/bin:/bin
export FROM_COMMON_AGAIN=$COMMON_VALUE
