#!/usr/bin/env bash
# Refreshes gui/translations/*.ts from the GUI's sources (new strings appear unfinished,
# vanished ones are dropped). Translate the new entries (Qt Linguist, or by hand in the
# XML), then build: lrelease compiles them into lbsim-gui.
set -euo pipefail
cd "$(dirname "$0")/../gui"
# -I.. so lupdate sees the classes' namespace through "gui/..." includes.
for ts in translations/*.ts; do
  /usr/lib/qt6/bin/lupdate -I.. -no-obsolete -locations relative ./*.cpp ./*.hpp -ts "$ts"
done
