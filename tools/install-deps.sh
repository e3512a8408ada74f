#!/bin/sh
# Installs the Debian 12 packages that vtsubmit needs to build and test, if any is missing.
# Usage: tools/install-deps.sh [native|all]   (default: all)
#   native  compiler, CMake, libraries and ksh: enough to build and run the sample job
#   all     native, plus what the full test suite and the package checks use
set -eu

native="build-essential cmake ninja-build libboost1.81-dev libboost-nowide1.81-dev libfmt-dev
catch2 libtomlplusplus-dev libcli11-dev ksh"
# python3 runs the Python baseline of bench/run; libbenchmark-dev and hyperfine are for bench/ too.
# clang and libclang-rt-14-dev build the libFuzzer targets of tests/fuzz (tools/fuzz.sh).
extra="python3 libbenchmark-dev hyperfine clang libclang-rt-14-dev"
# The .deb and MSI builds and their checks: lintian, and the MSI's cross build, wixl and Wine.
packaging="dpkg-dev lintian g++-mingw-w64-x86-64-posix wixl msitools wine wine64"

case "${1:-all}" in
  native) wanted=$native ;;
  all) wanted="$native $extra $packaging" ;;
  *) echo "usage: $0 [native|all]" >&2; exit 2 ;;
esac

missing=
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
sudo=
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
fi
$sudo apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
