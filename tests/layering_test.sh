#!/usr/bin/env bash
# The layers' rule (docs/ARCHITECTURE.md): nothing includes a layer above it, and what
# must run without the simulator (core, reports, the testbed, the GUI, the report and
# testbed tests) neither
# includes SimGrid nor links it. Usage: layering_test.sh SOURCE_DIR GUI_BINARY REPORT_TESTS
set -uo pipefail
cd "$1"
failed=0
forbid() {  # forbid DIR REGEX WHY
  local hits
  hits="$(grep -rnE "^#include [<\"]($2)" "$1" --include=*.cpp --include=*.hpp || true)"
  if [[ -n $hits ]]; then echo "layering: $1 must not include $3:"; echo "$hits"; failed=$((failed + 1)); fi
}
forbid core 'engine/|models/|reports/|cli/|gui/|testbed/|simgrid|Q[A-Z]|fmt/' "an upper layer, SimGrid, Qt or fmt"
forbid engine 'models/|reports/|cli/|gui/|testbed/' "an upper layer"
forbid models 'reports/|cli/|gui/|testbed/' "an upper layer"
forbid reports 'engine/|models/|cli/|gui/|testbed/|simgrid' "the simulator or a program"
forbid gui 'engine/|models/|simgrid' "the simulator (it runs lbsim as a child)"
forbid testbed 'engine/|models/|cli/|gui/|simgrid|Q[A-Z]' "the simulator, a program or Qt (it runs core's decisions on real packets)"
forbid import 'engine/|models/|reports/|testbed/|cli/|gui/|simgrid|Q[A-Z]' "anything but core and export's sample requests (it reads text, writes a scenario)"
forbid export 'engine/|models/|reports/|testbed/|cli/|gui/|simgrid|Q[A-Z]' "anything but core (it reads a scenario, writes text)"
for binary in "$2" "$3" "$4"; do
  if ldd "$binary" | grep -q simgrid; then echo "layering: $binary links SimGrid"; failed=$((failed + 1)); fi
done
echo "layering: $((7 + 3 - failed)) passed, $failed failed"
((failed == 0))
