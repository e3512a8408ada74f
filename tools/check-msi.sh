#!/bin/bash
# Checks the vtsubmit MSI: its tables (msiinfo) and its content (msiextract). Then it installs
# the MSI with Wine's msiexec in a fresh Wine prefix, without and with ABM_BIN, and runs the
# installed vtsubmit.exe. It also checks an upgrade to a higher version, a rejected downgrade,
# and an uninstall that leaves no file and no registry key behind.
# Usage: tools/check-msi.sh [WINDOWS_BUILD_DIR]   (default: build/package/windows)
# WINDOWS_BUILD_DIR is a Windows build (mingw-w64) where the `msi` target ran. It contains the
# MSI, the staging folder msi-stage and docs.wxi. The higher version is built there with wixl,
# and the Wine prefix is WINDOWS_BUILD_DIR/wineprefix-msi-check (deleted first, and deleted again
# when all checks pass).
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/.." && pwd)

fail() {
  echo "check-msi: $*" >&2
  exit 1
}
step() {
  printf '== %s\n' "$*"
}

build_dir=${1:-$source_dir/build/package/windows}
[ -d "$build_dir" ] || fail "Windows build folder not found: $build_dir. Run 'cmake --workflow --preset package' first."
build_dir=$(realpath "$build_dir")
stage=$build_dir/msi-stage
wxs=$source_dir/installer/windows/vtsubmit.wxs

version=$(sed -n 's/^project(vtsubmit VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
[ -n "$version" ] || fail "no 'project(vtsubmit VERSION X.Y.Z' line found in $source_dir/CMakeLists.txt"
IFS=. read -r major minor patch <<<"$version"
next_version=$major.$minor.$((patch + 1))
msi=$build_dir/vtsubmit-$version-x64.msi
next_msi=$build_dir/vtsubmit-$next_version-x64.msi
upgrade_code=$(sed -n 's/.*UpgradeCode="\([0-9A-Fa-f-]*\)".*/\1/p' "$wxs")
[ -f "$msi" ] || fail "MSI not found: $msi (the file name must carry the project version $version)"
[ -d "$stage" ] || fail "staging folder not found: $stage"
[ -n "$upgrade_code" ] || fail "no UpgradeCode found in $wxs"

# Files that the MSI puts in ABM_BIN when ABM_BIN is given, and their source in the install folder.
agent_files=(submit_queue_vtsubmit.bat tom_submit.vtsubmit.sample vtsubmit.exe)
agent_file_sources=(examples/submit_queue_vtsubmit.bat examples/tom_submit.vtsubmit.sample vtsubmit.exe)

work=$(mktemp -d)
cleanup() {
  if [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
    wineserver -k 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The expected content of the install folder: staging folder bin/vtsubmit.exe goes to the top.
step "staging folder $stage"
for entry in "$stage"/*; do
  case ${entry#"$stage"/} in
    bin | doc | examples) ;;
    *) fail "unexpected '${entry#"$stage"/}' in $stage: installer/windows/vtsubmit.wxs does not install it" ;;
  esac
done
for entry in "$stage"/bin/*; do
  [ "${entry#"$stage"/bin/}" = vtsubmit.exe ] ||
    fail "unexpected '$entry': installer/windows/vtsubmit.wxs installs only bin/vtsubmit.exe"
done
expected=$work/expected
mkdir -p "$expected"
cp "$stage/bin/vtsubmit.exe" "$expected/"
cp -r "$stage/doc" "$stage/examples" "$expected/"
(cd "$expected" && find . -type f | sed 's|^\./||' | sort)

step "MSI tables of $(basename "$msi")"
# msiinfo export prints the column names, the column types and the table name before the rows.
table() {
  msiinfo export "$msi" "$1" | tail -n +4 | tr -d '\r'
}
# expect_row TABLE PATTERN: fails unless a row of TABLE matches the extended regex PATTERN.
expect_row() {
  table "$1" | grep -Eq -- "$2" || {
    table "$1" >&2
    fail "table $1 has no row matching '$2'"
  }
}
template=$(msiinfo suminfo "$msi" | sed -n 's/^Template: //p')
echo "Template: $template"
[ "$template" = "x64;1033" ] || fail "summary Template is '$template', expected 'x64;1033' (wixl -a x64)"
tab=$'\t'
code_re="\\{$upgrade_code\\}"
version_re=${version//./\\.}
expect_row Property "^ProductName${tab}vtsubmit\$"
expect_row Property "^ProductVersion${tab}${version_re}\$"
expect_row Property "^UpgradeCode${tab}${code_re}\$"
expect_row Property "^ARPNOMODIFY${tab}1\$"
# Every component is 64-bit (attribute bit 256), so that files go to the 64-bit Program Files
# and registry values to the 64-bit view.
while IFS=$'\t' read -r component _ _ attributes _; do
  (( attributes & 256 )) || fail "component $component is not marked 64-bit (Attributes $attributes)"
done < <(table Component)
echo "Component: $(table Component | wc -l) components, all 64-bit"
expect_row Upgrade "^${code_re}${tab}${tab}${version_re}${tab}.*${tab}WIX_UPGRADE_DETECTED\$"
expect_row Upgrade "^${code_re}${tab}${version_re}${tab}.*${tab}WIX_DOWNGRADE_DETECTED\$"
expect_row LaunchCondition "^NOT WIX_DOWNGRADE_DETECTED${tab}"
# Feature levels: Complete is installed at the default INSTALLLEVEL 1, AgentFiles only at 2.
for feature_level in Complete:1 AgentFiles:2; do
  level=$(table Feature | awk -F'\t' -v f="${feature_level%:*}" '$1 == f {print $6}')
  [ "$level" = "${feature_level#*:}" ] ||
    fail "feature ${feature_level%:*} has level '$level', expected ${feature_level#*:}"
done
expect_row Registry "${tab}Software\\\\vtsubmit${tab}InstallDir${tab}\\[INSTALLDIR\\]${tab}RegistryEntries\$"
expect_row Registry "${tab}Software\\\\vtsubmit${tab}AbmBin${tab}\\[ABM_BIN\\]${tab}AgentRegistryEntry\$"
expect_row RemoveFile "^RemoveInstallDir${tab}"
# The custom actions that set ABM_BIN, INSTALLDIR and the feature selection run after AppSearch
# (50) and before CostInitialize (800), in both sequences.
for sequence_table in InstallExecuteSequence InstallUISequence; do
  for action in RestoreAbmBin SetAbmBinDir SelectAgentFiles RestoreInstallDir; do
    number=$(table "$sequence_table" | awk -F'\t' -v a="$action" '$1 == a {print $3}')
    if [ -z "$number" ] || [ "$number" -le 50 ] || [ "$number" -ge 800 ]; then
      fail "$sequence_table: $action has sequence '${number}', expected between 50 and 800"
    fi
  done
done
expect_row InstallExecuteSequence "^RemoveExistingProducts${tab}"
echo "Property, Upgrade, LaunchCondition, Feature, Registry, RemoveFile and sequences: as expected"

step "MSI content (msiextract)"
msiextract -C "$work/extracted" "$msi" >/dev/null
diff -r "$expected" "$work/extracted/vtsubmit" ||
  fail "the MSI's install folder differs from the staging folder (diff above)"
for i in "${!agent_files[@]}"; do
  cmp "$work/extracted/AbmBin/${agent_files[i]}" "$expected/${agent_file_sources[i]}" ||
    fail "AbmBin/${agent_files[i]} in the MSI differs from ${agent_file_sources[i]}"
done
echo "install folder: same files as the staging folder; ABM_BIN files: ${agent_files[*]}"

step "higher version $next_version for the upgrade"
(cd "$build_dir" && wixl -a x64 -I . -D "Version=$next_version" -D StageDir=msi-stage -o "$next_msi" "$wxs")
basename "$next_msi"

step "fresh Wine prefix"
export WINEPREFIX=$build_dir/wineprefix-msi-check WINEDEBUG=-all LANG=C.UTF-8
rm -rf "$WINEPREFIX"
mkdir -p "$WINEPREFIX"
# Wine's helper processes inherit the standard output of the first wine process, so every wine
# call writes to a file: a pipe would stay open after the call returns.
wine_output=$work/wine-output.txt
run_wine() {
  wine "$@" </dev/null >"$wine_output" 2>&1
}
run_wine wineboot -i
drive_c=$WINEPREFIX/drive_c
install_dir="$drive_c/Program Files/vtsubmit"
# A stand-in for the agent's ABM_BIN folder, with a file that the MSI must leave alone.
abm_bin=$drive_c/vtom/abm/bin
mkdir -p "$abm_bin"
echo "agent file" >"$abm_bin/tsend.exe"

# msiexec ARGS...: runs Wine's msiexec with a verbose log and returns its exit code (8 bits).
msiexec() {
  local code=0
  run_wine msiexec "$@" /l*v "$work/msiexec.log" || code=$?
  return "$code"
}
registry_value() {
  run_wine reg query 'HKLM\Software\vtsubmit' /v "$1" || return 1
  awk -v name="$1" '$1 == name {print $3}' "$wine_output" | tr -d '\r'
}
uninstall_entries() {
  run_wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s || true
  tr -d '\r' <"$wine_output" | awk '$1 == "DisplayName" && $3 == "vtsubmit"' | wc -l
}
expect_abm_bin() {
  local listing
  listing=$(cd "$abm_bin" && ls | sort | tr '\n' ' ')
  [ "$listing" = "$1" ] || fail "ABM_BIN folder contains '$listing', expected '$1'"
}
# expect_installed_version VERSION [INSTALL_FOLDER]
expect_installed_version() {
  local output
  run_wine "${2:-C:\\Program Files\\vtsubmit}\\vtsubmit.exe" --version ||
    { cat "$wine_output" >&2; fail "the installed vtsubmit.exe --version failed"; }
  output=$(tr -d '\r' <"$wine_output")
  [ "$output" = "vtsubmit $version" ] ||
    fail "the installed vtsubmit.exe --version printed '$output', expected 'vtsubmit $version'"
  [ "$(registry_value Version)" = "$1" ] ||
    fail "registry value Version is '$(registry_value Version)', expected '$1'"
  [ "$(uninstall_entries)" -eq 1 ] ||
    fail "expected one vtsubmit entry in the Uninstall registry key, found $(uninstall_entries)"
}

step "install without ABM_BIN, with INSTALLDIR=C:\\tools\\vtsubmit, then upgrade"
custom_dir=$drive_c/tools/vtsubmit
msiexec /i "$msi" /qn 'INSTALLDIR=C:\tools\vtsubmit' || fail "msiexec /i failed with exit code $?"
diff -r "$expected" "$custom_dir" || fail "the installed files differ from the staging folder (diff above)"
[ ! -e "$install_dir" ] || fail "C:\\Program Files\\vtsubmit exists although INSTALLDIR was given"
expect_installed_version "$version" 'C:\tools\vtsubmit'
expect_abm_bin "tsend.exe "
! registry_value AbmBin >/dev/null || fail "registry value AbmBin is set although ABM_BIN was not given"
[ ! -e "$drive_c/AbmBin" ] || fail "C:\\AbmBin was created although ABM_BIN was not given"
echo "installed in C:\\tools\\vtsubmit; nothing in ABM_BIN"
msiexec /i "$next_msi" /qn || fail "msiexec /i (upgrade) failed with exit code $?"
diff -r "$expected" "$custom_dir" || fail "the upgraded files differ from the staging folder (diff above)"
[ ! -e "$install_dir" ] || fail "the upgrade installed into C:\\Program Files\\vtsubmit instead of INSTALLDIR"
expect_installed_version "$next_version" 'C:\tools\vtsubmit'
echo "upgraded to $next_version in C:\\tools\\vtsubmit"
msiexec /x "$next_msi" /qn || fail "msiexec /x failed with exit code $?"
[ ! -e "$custom_dir" ] || { find "$custom_dir" >&2; fail "C:\\tools\\vtsubmit is left after the uninstall"; }

step "install with ABM_BIN=C:\\vtom\\abm\\bin"
msiexec /i "$msi" /qn 'ABM_BIN=C:\vtom\abm\bin' || fail "msiexec /i ABM_BIN=… failed with exit code $?"
diff -r "$expected" "$install_dir" || fail "the installed files differ from the staging folder (diff above)"
expect_installed_version "$version"
expect_abm_bin "submit_queue_vtsubmit.bat tom_submit.vtsubmit.sample tsend.exe vtsubmit.exe "
for i in "${!agent_files[@]}"; do
  cmp "$abm_bin/${agent_files[i]}" "$expected/${agent_file_sources[i]}" ||
    fail "ABM_BIN\\${agent_files[i]} differs from ${agent_file_sources[i]}"
done
[ "$(registry_value AbmBin)" = 'C:\vtom\abm\bin' ] ||
  fail "registry value AbmBin is '$(registry_value AbmBin)', expected 'C:\\vtom\\abm\\bin'"
echo "installed; ABM_BIN has ${agent_files[*]}"

step "job through C:\\vtom\\abm\\bin\\submit_queue_vtsubmit.bat"
# The queue file is the installed sample. Without TOM_JOB_ID, the job was not started by a VTOM
# engine. vtsubmit then loads the queue file and the init file, prints the job context, and exits
# with 0 without running TOM_SCRIPT or tsend. The arguments contain no spaces because Wine quotes
# such arguments with \", which cmd does not understand.
mkdir -p "$drive_c/vtom/admin"
cp "$abm_bin/tom_submit.vtsubmit.sample" "$drive_c/vtom/admin/tom_submit.vtsubmit"
printf 'set SAMPLE_GREETING=Bonjour\r\n' >"$drive_c/vtom/admin/vtom_init.bat"
code=0
TOM_ADMIN='C:\vtom\admin' ABM_BIN='C:\vtom\abm\bin' \
  run_wine cmd /d /c 'C:\vtom\abm\bin\submit_queue_vtsubmit.bat' first second || code=$?
tr -d '\r' <"$wine_output" | sed 's/^/  | /'
[ "$code" -eq 0 ] || fail "the job through the queue script exited with $code, expected 0"
grep -qF -- "--> Job not submitted by a Visual TOM engine" "$wine_output" ||
  fail "the job output lacks '--> Job not submitted by a Visual TOM engine'"
grep -Eq -- '^Parameter 2 +: second'$'\r''?$' "$wine_output" ||
  fail "the job output lacks 'Parameter 2 : second': the queue script did not pass its arguments"
grep -qF -- 'C:\vtom\admin\vtom_init.bat' "$wine_output" ||
  fail "the job output does not name the init file C:\\vtom\\admin\\vtom_init.bat"
rm -r "$drive_c/vtom/admin"

step "upgrade to $next_version without ABM_BIN on the command line"
msiexec /i "$next_msi" /qn || fail "msiexec /i (upgrade) failed with exit code $?"
diff -r "$expected" "$install_dir" || fail "the upgraded files differ from the staging folder (diff above)"
expect_installed_version "$next_version"
expect_abm_bin "submit_queue_vtsubmit.bat tom_submit.vtsubmit.sample tsend.exe vtsubmit.exe "
grep -q 'RestoreAbmBin' "$work/msiexec.log" || fail "the upgrade did not run RestoreAbmBin"
echo "upgraded: one Uninstall entry, version $next_version, ABM_BIN files kept"

step "downgrade to $version is rejected"
code=0
msiexec /i "$msi" /qn || code=$?
# 1603 (fatal error) reaches Linux as 1603 mod 256 = 67.
[ "$code" -eq 67 ] || fail "msiexec /i of the older MSI returned $code, expected 67 (1603)"
[ "$(registry_value Version)" = "$next_version" ] || fail "the rejected downgrade changed the installed version"
echo "rejected with 1603"

step "uninstall"
msiexec /x "$next_msi" /qn || fail "msiexec /x failed with exit code $?"
[ ! -e "$install_dir" ] || { find "$install_dir" >&2; fail "C:\\Program Files\\vtsubmit is left after the uninstall"; }
expect_abm_bin "tsend.exe "
if run_wine reg query 'HKLM\Software\vtsubmit'; then
  fail "registry key HKLM\\Software\\vtsubmit is left after the uninstall"
fi
[ "$(uninstall_entries)" -eq 0 ] || fail "a vtsubmit entry is left in the Uninstall registry key"
# wineserver writes the registry files when it exits. Windows Installer stores product and
# upgrade codes "packed": each GUID group reversed, so the first group ABCDEFGH becomes HGFEDCBA.
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true
packed_upgrade_code=$(echo "${upgrade_code%%-*}" | rev)
if grep -il -e vtsubmit -e "$upgrade_code" -e "$packed_upgrade_code" "$WINEPREFIX"/*.reg; then
  fail "the registry files above still mention vtsubmit or its UpgradeCode"
fi
echo "no file in Program Files or ABM_BIN, no registry key, no Uninstall entry left"

# The prefix takes about 700 MB; after a failure it stays for inspection.
rm -rf "$WINEPREFIX"
echo "check-msi: all checks passed for $(basename "$msi") and the upgrade to $next_version"
