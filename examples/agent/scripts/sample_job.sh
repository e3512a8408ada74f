#!/bin/sh
# Sample job: shows its parameters and part of its environment, writes to both logs.
echo "Sample job started with $# parameter(s)"
n=1
for parameter in "$@"; do
  echo "  \$$n = [$parameter]"
  n=$((n + 1))
done
echo "SAMPLE_GREETING=[$SAMPLE_GREETING]"
echo "sample_internal=[${sample_internal:-}] (not exported by vtom_init, so empty)"
echo "This line goes to the .e log" >&2
exit "${SAMPLE_EXIT:-0}"
