#!/bin/bash
# Builds vtsubmit and runs the sample job exactly as the Visual TOM agent would:
# argv = ["-sample", "$TOM_ADMIN/tom_submit.sample", PARAM…], the environment of spool file 1.env
# on top of the agent's own, and stdout/stderr opened on the job's .o/.e log files.
# Then it prints both logs and the tsend and vtgestlog calls that the stand-ins recorded.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/.." && pwd)
"$source_dir/tools/install-deps.sh" native

cmake --preset linux-release -S "$source_dir" >/dev/null
cmake --build --preset linux-release --target vtsubmit >/dev/null
binary="$source_dir/build/linux-release/vtsubmit"

# A fresh copy of the sample agent tree, so that every run starts from the same files.
tom_home="$source_dir/build/sample-agent"
rm -rf "$tom_home"
cp -r "$source_dir/examples/agent" "$tom_home"
ln -s "$binary" "$tom_home/abm/bin/sample"
sed -i "s|@TOM_HOME@|$tom_home|g" "$tom_home/abm/spool/1.env"

# The agent names logs <ENV>_<APP>_<JOB>_<yymmdd>-<hhmmss> and passes that prefix as TOM_LOG.
log="$tom_home/logs/DEMO_SAMPLE_APP_SAMPLE_JOB_$(date +%y%m%d-%H%M%S)"
job_environment=()
while IFS= read -r line; do
  job_environment+=("$line")
done <"$tom_home/abm/spool/1.env"

set +e
env -i PATH=/usr/bin:/bin HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
  TOM_HOME="$tom_home" TOM_ADMIN="$tom_home/admin" TOM_LOG="$log" \
  "${job_environment[@]}" \
  bash -c 'exec -a -sample "$0" "$@"' "$tom_home/abm/bin/sample" "$tom_home/admin/tom_submit.sample" \
  "first parameter" "--quoted=\"x y\"" "" "été" \
  >"$log.o" 2>"$log.e"
code=$?
set -e

printf '=== %s.o ===\n' "$log"; cat "$log.o"
printf '=== %s.e ===\n' "$log"; cat "$log.e"
printf '=== tsend calls (%s) ===\n' "$tom_home/abm/spool/tsend.calls"; cat "$tom_home/abm/spool/tsend.calls"
printf '=== vtgestlog calls ===\n'; cat "$tom_home/abm/spool/vtgestlog.calls"
printf '=== vtsubmit exit code: %s ===\n' "$code"
exit "$code"
