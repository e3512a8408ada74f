#!/bin/bash
# Checks a vtsubmit .deb the way a user meets it: package fields and lintian, then `dpkg -i`,
# `vtsubmit --version` and two sample jobs run through the installed /usr/bin/vtsubmit, then
# `dpkg -r` and a check that no file of the package is left.
# Usage: tools/check-deb.sh [PACKAGE.deb]   (default: the .deb in build/package)
# It installs into this machine, so it needs root (or sudo). It stops if vtsubmit is already
# installed, and it removes the package again when a check fails.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/.." && pwd)

fail() {
  echo "check-deb: $*" >&2
  exit 1
}
step() {
  printf '== %s\n' "$*"
}

deb=${1:-}
if [ -z "$deb" ]; then
  shopt -s nullglob
  candidates=("$source_dir"/build/package/vtsubmit_*.deb)
  shopt -u nullglob
  [ ${#candidates[@]} -eq 1 ] ||
    fail "expected one .deb in build/package, found ${#candidates[@]}. Run 'cmake --workflow --preset package' or pass the .deb."
  deb=${candidates[0]}
fi
[ -f "$deb" ] || fail "package not found: $deb"
deb=$(realpath "$deb")

sudo=
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
fi

step "package fields of $deb"
name=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
architecture=$(dpkg-deb -f "$deb" Architecture)
depends=$(dpkg-deb -f "$deb" Depends)
project_version=$(sed -n 's/^project(vtsubmit VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
[ -n "$project_version" ] || fail "no 'project(vtsubmit VERSION X.Y.Z' line found in $source_dir/CMakeLists.txt"
echo "Package: $name  Version: $version  Architecture: $architecture"
echo "Depends: $depends"
[ "$name" = vtsubmit ] || fail "Package is '$name', expected 'vtsubmit'"
[ "$version" = "$project_version" ] ||
  fail "Version is '$version', but CMakeLists.txt sets project(vtsubmit VERSION $project_version)"
[ "$(basename "$deb")" = "vtsubmit_${version}_${architecture}.deb" ] ||
  fail "file name $(basename "$deb") does not carry the version: expected vtsubmit_${version}_${architecture}.deb"
# fmt, toml++ and Boost are compiled in (header-only), so only the C and C++ runtimes may appear.
IFS=',' read -ra dependencies <<<"$depends"
for dependency in "${dependencies[@]}"; do
  dependency_name=$(echo "$dependency" | awk '{print $1}')
  case $dependency_name in
    libc6 | libgcc-s1 | libstdc++6) ;;
    *) fail "unexpected dependency '$dependency_name' in Depends: $depends" ;;
  esac
done

step "lintian"
set +e
lintian_output=$(lintian --fail-on error --display-info "$deb" 2>&1)
lintian_code=$?
set -e
# As root, lintian adds "running with root privileges is not recommended!".
grep -v 'running with root privileges' <<<"$lintian_output" || true
[ "$lintian_code" -eq 0 ] || fail "lintian failed with exit code $lintian_code: errors are listed above"

step "dpkg -i"
if dpkg-query -W -f='${db:Status-Status}' vtsubmit 2>/dev/null | grep -qv '^not-installed$'; then
  fail "vtsubmit is already installed on this machine; remove it first with 'dpkg -r vtsubmit'"
fi
# Paths of the package that exist before the install (shared folders such as /usr/bin) may stay
# after the removal; every other path must be gone.
mapfile -t package_paths < <(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$')
existing_before=()
for path in "${package_paths[@]}"; do
  if [ -e "$path" ] || [ -L "$path" ]; then
    existing_before+=("$path")
  fi
done

work=$(mktemp -d)
installed=no
cleanup() {
  if [ "$installed" = yes ]; then
    echo "check-deb: removing vtsubmit after a failed check" >&2
    $sudo dpkg -r vtsubmit >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

$sudo dpkg -i "$deb"
installed=yes
dpkg -L vtsubmit | grep -qx /usr/bin/vtsubmit || fail "dpkg -L vtsubmit does not list /usr/bin/vtsubmit"

step "vtsubmit --version"
version_output=$(/usr/bin/vtsubmit --version)
echo "$version_output"
[ "$version_output" = "vtsubmit $version" ] ||
  fail "/usr/bin/vtsubmit --version printed '$version_output', expected 'vtsubmit $version'"

step "man pages and docs"
for path in /usr/share/man/man1/vtsubmit.1.gz /usr/share/man/fr/man1/vtsubmit.1.gz \
  /usr/share/doc/vtsubmit/README.md /usr/share/doc/vtsubmit/README.fr.md \
  /usr/share/doc/vtsubmit/copyright; do
  if ! dpkg -L vtsubmit | grep -qx "$path"; then
    fail "the package does not install $path"
  fi
done
if command -v man >/dev/null; then
  [ "$(man -w vtsubmit)" = /usr/share/man/man1/vtsubmit.1.gz ] ||
    fail "'man -w vtsubmit' finds '$(man -w vtsubmit)', expected /usr/share/man/man1/vtsubmit.1.gz"
  [ "$(man -L fr -w vtsubmit)" = /usr/share/man/fr/man1/vtsubmit.1.gz ] ||
    fail "'man -L fr -w vtsubmit' finds '$(man -L fr -w vtsubmit)', expected the fr page"
fi

step "sample jobs through /usr/bin/vtsubmit"
# The sample agent tree comes from the installed package. A dpkg path-exclude rule (common in
# container images) may have skipped /usr/share/doc; the tree is then taken from the .deb itself.
examples=/usr/share/doc/vtsubmit/examples/agent
if [ ! -f "$examples/admin/tom_submit.sample" ]; then
  echo "note: $examples is not installed (dpkg path-exclude?); using the copy inside the .deb"
  dpkg-deb -x "$deb" "$work/extracted"
  examples=$work/extracted/usr/share/doc/vtsubmit/examples/agent
fi

# run_sample_job NAME [VAR=value...]: runs the sample job as the agent would (see
# tools/run-sample.sh), with the extra variables in the job environment, and sets
# tom_home, log and job_code.
run_sample_job() {
  local job_name=$1
  shift
  tom_home=$work/$job_name
  cp -r "$examples" "$tom_home"
  mkdir -p "$tom_home/logs"
  ln -s /usr/bin/vtsubmit "$tom_home/abm/bin/sample"
  sed -i "s|@TOM_HOME@|$tom_home|g" "$tom_home/abm/spool/1.env"
  log=$tom_home/logs/DEMO_SAMPLE_APP_SAMPLE_JOB
  local job_environment=()
  local line
  while IFS= read -r line; do
    job_environment+=("$line")
  done <"$tom_home/abm/spool/1.env"
  set +e
  env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 \
    TOM_HOME="$tom_home" TOM_ADMIN="$tom_home/admin" TOM_LOG="$log" \
    "${job_environment[@]}" "$@" \
    bash -c 'exec -a -sample "$0" "$@"' "$tom_home/abm/bin/sample" "$tom_home/admin/tom_submit.sample" \
    "first parameter" "--quoted=\"x y\"" "" "été" \
    >"$log.o" 2>"$log.e"
  job_code=$?
  set -e
}

# expect_line FILE LINE: fails unless FILE contains LINE as a whole line.
expect_line() {
  grep -qxF -- "$2" "$1" || {
    echo "--- $1:" >&2
    cat "$1" >&2
    fail "$1 has no line '$2'"
  }
}

run_sample_job succeeding
echo "job exit code: $job_code"
[ "$job_code" -eq 0 ] || { cat "$log.o" "$log.e" >&2; fail "the sample job exited with $job_code, expected 0"; }
expect_line "$log.o" "Sample job started with 4 parameter(s)"
expect_line "$log.o" '  $2 = [--quoted="x y"]'
expect_line "$log.o" '  $4 = [été]'
expect_line "$log.o" "SAMPLE_GREETING=[Bonjour from vtom_init]"
expect_line "$log.o" "--> Exit [0] then acknowledgment"
expect_line "$log.e" "This line goes to the .e log"
expect_line "$tom_home/abm/spool/tsend.calls" "tsend [-sT] [-r0] [-mJob finished (0)]"
expect_line "$tom_home/abm/spool/vtgestlog.calls" "vtgestlog"

run_sample_job failing SAMPLE_EXIT=3
echo "job exit code with SAMPLE_EXIT=3: $job_code"
[ "$job_code" -eq 3 ] || { cat "$log.o" "$log.e" >&2; fail "the failing sample job exited with $job_code, expected 3"; }
expect_line "$tom_home/abm/spool/tsend.calls" "tsend [-sE] [-r3] [-mJob in error (3)]"

step "dpkg -r"
$sudo dpkg -r vtsubmit
installed=no
status=$(dpkg-query -W -f='${db:Status-Status}' vtsubmit 2>/dev/null || echo not-installed)
[ "$status" = not-installed ] || fail "after dpkg -r, dpkg reports vtsubmit as '$status'"
left=()
for path in "${package_paths[@]}"; do
  if [ -e "$path" ] || [ -L "$path" ]; then
    if ! printf '%s\n' "${existing_before[@]}" | grep -qxF -- "$path"; then
      left+=("$path")
    fi
  fi
done
[ ${#left[@]} -eq 0 ] || fail "left after dpkg -r: ${left[*]}"
echo "removed: none of the ${#package_paths[@]} paths of the package is left (${#existing_before[@]} existed before)"

echo "check-deb: all checks passed for $(basename "$deb")"
