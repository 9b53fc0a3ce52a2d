#!/usr/bin/env bash
# Makes the README's pictures of lbsim-gui under Xvfb (a virtual X display), each with the
# program's own --screenshot: the live run, the teaching view, the side-by-side window and
# the Korean translation, the Korean notes of a traced request, and presenter mode. Builds first if needed. Usage: scripts/gui-screenshots.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs}"
mkdir -p "$out"
[[ -x build/release/gui/lbsim-gui ]] || scripts/build.sh
export LBSIM_SCENARIOS="$PWD/scenarios"
gui() { xvfb-run -a -s "-screen 0 1700x1000x24" build/release/gui/lbsim-gui "$@" 2> >(grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR >&2); }
gui scenarios/lessons/07-two-tier-architecture.yaml --language en --after 6s --screenshot "$out/gui.png"
gui scenarios/lessons/03-dnat-vs-dsr.yaml --language en --tab trace --hop 2 --after 4s --screenshot "$out/gui-trace.png"
gui scenarios/lessons/03-dnat-vs-dsr.yaml --language en --side-by-side --after 8s --screenshot "$out/gui-side-by-side.png"
gui scenarios/lessons/01-osi-position.yaml --language ko --tab trace --hop 8 --after 4s --screenshot "$out/gui-ko.png"
gui scenarios/lessons/06-l4-vs-l7-same-request.yaml --language ko --tab trace --hop 13 --after 4s --screenshot "$out/gui-trace-ko.png"
gui scenarios/lessons/03-dnat-vs-dsr.yaml --language ko --presenter --tab trace --hop 2 --after 4s --screenshot "$out/gui-presenter.png"
echo "lbsim-gui pictures in $out: gui.png gui-trace.png gui-side-by-side.png gui-ko.png gui-trace-ko.png gui-presenter.png"
