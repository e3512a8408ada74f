#!/bin/sh
# Runs all of vtsubmit's tests on Debian 12: installs what is missing, then configures, builds and
# runs the unit, platform, end-to-end and load tests of the native build with CTest, again with
# sanitizers, the fuzz targets for a bounded time, and the Windows
# build's tests under Wine. Then it builds the .deb and the MSI and checks them.
# tools/check-deb.sh installs the .deb on this machine, so it needs root or sudo.
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$source_dir"

tools/install-deps.sh all
cmake --workflow --preset linux-release

# The same tests built with AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer (the
# load test runs 200 jobs there, set in the preset), then each parser under libFuzzer for 30 s.
cmake --workflow --preset linux-asan
tools/fuzz.sh 30

# The Windows build: cross-compiled with mingw-w64, its tests run under Wine with a Wine prefix
# kept inside the build tree. Wine needs a UTF-8 locale to pass non-ASCII arguments unchanged.
LANG=C.UTF-8 WINEDEBUG=-all cmake --workflow --preset mingw-release
# Test discovery reads the test program's output, so a Wine message there would become a test.
if ctest --preset mingw-release -N | grep -q 'Test *#[0-9]*: wine:'; then
  echo "test.sh: Wine messages were listed as tests; see cmake/wine-run.sh" >&2
  exit 1
fi

# The release packages, built with the README's command, then installed, run, upgraded and
# removed the way a user would: the .deb with dpkg on this machine, the MSI with Wine's msiexec.
cmake --workflow --preset package
tools/check-deb.sh
tools/check-msi.sh

# A one-minute benchmark run (docs/benchmarks.md): it prints the figures and fails only when a
# queue misbehaves (wrong exit code, tsend call or log size), never because of a timing.
bench/run --smoke --build-dir build/linux-release
