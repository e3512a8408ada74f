# Included by 06_include.ksh with `. ./lib/common.ksh`.
COMMON_VALUE=from-common
export COMMON_VALUE
COMMON_HELPER=not-exported
. ./lib/nested.ksh
