#!/bin/sh
# Emulator for the tests of the Windows cross build: runs "wine PROGRAM ARGS..." and passes on
# its output and exit code.
#
# Wine's background processes (wineserver, services.exe, conhost.exe...) inherit the stdout and
# stderr of the first wine process. If those were ctest's or ninja's pipes, the caller would wait
# until the processes end (seconds, or forever). So wine writes to a temporary file instead,
# which is printed once it exits. Exit codes reach Linux truncated to 8 bits.
: "${WINEDEBUG:=-all}"
: "${LANG:=C.UTF-8}"
export WINEDEBUG LANG
# A new prefix is set up first and its messages are discarded, because ctest's test discovery
# would read lines such as "wine: configuration ... has been updated" as test names.
if [ -n "${WINEPREFIX:-}" ] && [ ! -d "$WINEPREFIX" ]; then
  mkdir -p "$WINEPREFIX"
  wine wineboot -i >/dev/null 2>&1 </dev/null
fi

output=$(mktemp) || exit 125
wine "$@" >"$output" 2>&1 </dev/null
status=$?
cat "$output"
rm -f "$output"
exit $status
