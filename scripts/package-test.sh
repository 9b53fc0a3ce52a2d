#!/usr/bin/env bash
# The Debian package a classroom machine installs without a compiler: builds it (cpack in
# the release build), installs it with apt, and runs a lesson headless from the installed
# paths — the simulator, a Korean trace, the GUI's picture of the lesson, the man page,
# the desktop entry — then removes it.
#
#   scripts/package-test.sh            install on this machine (as root), then purge
#   scripts/package-test.sh --chroot   install in a clean Debian 12 root made by debootstrap
#                                      (downloads from Debian's registry; proves that the
#                                      package's declared dependencies are all it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-host}"
build=build/release
[[ -x $build/cli/lbsim ]] || { echo "package-test: build first (scripts/build.sh)" >&2; exit 2; }
(cd $build && cpack >/dev/null)
deb="$(ls -t $build/lbsim_*_amd64.deb | head -1)"
echo "package-test: $deb ($(du -h "$deb" | cut -f1))"

# What a fresh install must do, run as root inside the target system.
checks='
set -euo pipefail
out=$(mktemp -d)
trap "rm -rf $out" EXIT
lbsim --version
lbsim validate /usr/share/lbsim/scenarios/lessons/01-osi-position.yaml
lbsim run /usr/share/lbsim/scenarios/lessons/01-osi-position.yaml --out "$out/run" -q
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); assert s[\"requests\"][\"completed\"] > 1000, s[\"requests\"]" "$out/run/summary.json"
lbsim trace /usr/share/lbsim/scenarios/lessons/03-dnat-vs-dsr.yaml --variant dsr --request 3 --language ko >"$out/trace.txt"
grep -q "DSR: MAC 주소만 바꾼다" "$out/trace.txt"
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$out" lbsim-gui /usr/share/lbsim/scenarios/lessons/01-osi-position.yaml \
  --language ko --after 2s --screenshot "$out/lesson.png" 2>/dev/null
[[ $(stat -c %s "$out/lesson.png") -gt 50000 ]]
# Every command lbsim lists is in the man page.
zcat -f /usr/share/man/man1/lbsim.1* >"$out/man.roff"
lbsim --help >"$out/help.txt"
commands=$(sed -n "/^Subcommands:/,\$p" "$out/help.txt" | awk "NR>1 && \$1 != \"testbed-node\" {print \$1}")
[[ $(echo "$commands" | wc -w) -ge 10 ]]
for command in $commands; do
  grep -q "^\.B $command" "$out/man.roff" || { echo "package-test: the man page lacks $command"; exit 1; }
done
# The desktop entry starts an installed program with an installed icon.
grep -q "^Exec=lbsim-gui" /usr/share/applications/lbsim.desktop
command -v lbsim-gui >/dev/null
[[ -f /usr/share/icons/hicolor/scalable/apps/lbsim.svg ]]
echo "package-test: the installed lesson runs"
'

if [[ $mode == --chroot ]]; then
  root="$(mktemp -d /tmp/lbsim-deb-root.XXXXXX)"
  cleanup() {
    for m in proc sys dev; do umount -l "$root/$m" 2>/dev/null || true; done
    rm -rf "$root"
  }
  trap cleanup EXIT
  command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
  mirror="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
  debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  mount -t proc proc "$root/proc"
  mount --bind /sys "$root/sys"
  mount --bind /dev "$root/dev"
  cp "$deb" "$root/tmp/"
  chroot "$root" apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" python3 >/dev/null
  chroot "$root" bash -c "$checks"
else
  [[ $(id -u) -eq 0 ]] || { echo "package-test: run as root (apt installs the package)" >&2; exit 2; }
  trap 'apt-get purge -y -q lbsim >/dev/null 2>&1 || true' EXIT
  apt-get install -y -q --no-install-recommends "./$deb" >/dev/null
  # The installed programs, not the build tree's.
  env -u LBSIM_BINARY -u LBSIM_SCENARIOS PATH=/usr/bin:/bin bash -c "$checks"
fi
