# Quotes of every kind.
PASS='ab$cd' ; export PASS
Q1="double \$dollar \"quote\" \\backslash \`tick\` \x kept" ; export Q1
Q2=unquoted\ space\$\\ ; export Q2
Q3='single "double" inside' ; export Q3
Q4="single 'inside' double" ; export Q4
Q5='it'"'"'s' ; export Q5
Q6=mixed"double $TOM_ADMIN"'single $TOM_ADMIN'plain$TOM_ADMIN ; export Q6
Q7="" ; export Q7
Q8='' ; export Q8
Q9= ; export Q9
URL=http://host/x?a=1 ; export URL
URL2="http://host/x?a=1&b=2" ; export URL2
EQ=a=b=c ; export EQ
HASH=value#not-a-comment ; export HASH
SPACED="$SPACED" ; export SPACED
LONE_DOLLAR=$ ; export LONE_DOLLAR
DOLLAR_SLASH=$/x ; export DOLLAR_SLASH
TRAILING_DOLLAR="a$" ; export TRAILING_DOLLAR
