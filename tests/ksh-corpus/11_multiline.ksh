# Values over several lines.
ML1="first line
second line"
export ML1
ML2='single
quoted
$TOM_ADMIN'
export ML2
ML3=continued\
_value
export ML3
export ML4="joined \
by backslash" ML5=after
export \
  ML6=continued-export
ML7="$TOM_ADMIN
 indented"; export ML7
