# A real-life file with lines that are reported and skipped. ksh runs them; the
# variables they change are left out of the comparison.
# oracle-ignore: DATE_TAG TODAY IN_IF IN_FUNCTION IN_LOOP IN_CASE LOGDIR PIPED AND_SET AND_SET2 COUNT ARR SHELL_PID
# The diagnostics the parser must produce are listed at the end.
export KEPT1=before
DATE_TAG=$(date +%Y%m%d) ; export DATE_TAG
export TODAY=`date`
if [ -d /opt/vtom ]; then
  IN_IF=yes
  export IN_IF
fi
export KEPT2=after-if
set_env() {
  IN_FUNCTION=yes
  export IN_FUNCTION
}
export KEPT3=after-function
function other { export IN_FUNCTION=other; }
export KEPT4=after-ksh-function
cd /tmp
echo "loading the Visual TOM environment"
for d in a b; do export IN_LOOP=$d; done
case "$TOM_ADMIN" in
  /opt/*) export IN_CASE=opt ;;
  *) export IN_CASE=other ;;
esac
export KEPT5=after-case
while false; do export IN_WHILE=1; done
[ -d / ] || export NEVER1=1
LOGDIR=/tmp/x ; test -d $LOGDIR && export LOGDIR
true | export PIPED=1
export AND_SET=1 && export AND_SET2=2
PREFIX=1 ls /nonexistent
echo redirected > /dev/null
COUNT=$((1 + 2)) ; export COUNT
(( COUNT += 1 ))
[[ -z $TOM_ADMIN ]] && export NEVER2=1
ARR=(one two) ; export ARR
export SHELL_PID=$$
alias ll='ls -l'
readonly KEPT5
export KEPT6=last
# oracle-skipped: 6:construct_command_substitution 7:construct_command_substitution
# oracle-skipped: 8:construct_compound 13:construct_function 18:construct_function
# oracle-skipped: 20:construct_command 21:construct_command 22:construct_compound
# oracle-skipped: 23:construct_compound 28:construct_compound 29:construct_pipeline
# oracle-skipped: 30:construct_pipeline 31:construct_pipeline 32:construct_pipeline
# oracle-skipped: 33:construct_prefix_assignment 34:construct_redirection
# oracle-skipped: 35:construct_arithmetic 36:construct_arithmetic 37:construct_compound
# oracle-skipped: 38:construct_array 39:construct_special_parameter 40:construct_command
# oracle-skipped: 41:construct_command
