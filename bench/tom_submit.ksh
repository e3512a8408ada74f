# Benchmark baseline: a ksh queue doing the standard steps of the stock Visual TOM ksh queue,
# which vtsubmit replaces. The agent starts it as argv = ["-ksh", "$TOM_ADMIN/tom_submit.ksh",
# PARAM...], so ksh runs it as a login shell and reads /etc/profile first (and $HOME/.profile
# when it exists). It prints the lines vtsubmit prints, in English.

. "$TOM_ADMIN/vtom_init.ksh"

separator=_______________________________________________________________________

print -r -- "$separator"
print -r -- "Visual TOM context of the job"
print -r -- " "
printf '%-20s: %s\n' "Host" "${TOM_HOST:-$(hostname)}"
printf '%-20s: %s\n' "User" "${TOM_USER:-$(id -un)}"
printf '%-20s: %s\n' "Script" "$TOM_SCRIPT"
printf '%-20s: %s\n' "Queue" "$TOM_QUEUE"
printf '%-20s: %s\n' "Visual TOM server" "$TOM_REMOTE_SERVER"
print
printf '%-20s: %s\n' "Job" "$TOM_JOB"
printf '%-20s: %s\n' "Application" "$TOM_APPLICATION"
printf '%-20s: %s\n' "Environment" "$TOM_ENVIRONMENT"
printf '%-20s: %s\n' "Job ID" "$TOM_JOB_ID"
printf '%-20s: %s\n' "IPID" "$job_id"
printf '%-20s: %s\n' "Retries" "$TOM_JOB_RETRY"
printf '%-20s: %s\n' "Restart label" "$TOM_JOB_POINT"
printf '%-20s: %s\n' "Execution mode" "$TOM_JOB_EXEC"
printf '%-20s: %s\n' "Operating date" "$TOM_DATE"
printf '%-20s: %s\n' "Date value" "$TOM_DATE_VALUE"
printf '%-20s: %s\n' "Job log" "$TOM_LOG"
printf '%-20s: %s\n' "Init file" "$TOM_ADMIN/vtom_init.ksh"
printf '%-20s: %s\n' "Parameters" "$#"
n=1
for parameter in "$@"; do
  printf '%-20s: %s\n' "Parameter $n" "$parameter"
  n=$((n + 1))
done

if [ -z "$TOM_JOB_ID" ]; then
  print -r -- "--> Job not submitted by a Visual TOM engine"
  exit 0
fi
if [ "$TOM_JOB_EXEC" = TEST ]; then
  print -r -- "Job in TEST mode"
  "$ABM_BIN/tsend" -sT -r0 -m"Job finished (TEST mode)"
  "$ABM_BIN/vtgestlog"
  exit 0
fi

print -r -- "$separator"
date +"%A %d/%m/%Y - %H:%M:%S"
print -r -- "Begin of the script..."
print -r -- "$separator"
print -r -- " "

"$TOM_SCRIPT" "$@"
code=$?

print -r -- "$separator"
date +"%A %d/%m/%Y - %H:%M:%S"
print -r -- "End of the script."
print -r -- " "
if [ "$code" -eq 0 ]; then
  print -r -- "--> Exit [$code] then acknowledgment"
  "$ABM_BIN/tsend" -sT -r"$code" -m"Job finished ($code)"
else
  print -r -- "--> Exit [$code] then no acknowledgment"
  "$ABM_BIN/tsend" -sE -r"$code" -m"Job in error ($code)"
fi
"$ABM_BIN/vtgestlog"
exit "$code"
