# Shared by the testbed's end-to-end scripts (sourced): how they fail, and how they count
# what a run must not leave behind.
fail() { echo "FAIL: $*" >&2; exit 1; }
namespaces() { lsns -t net -n -o NS 2>/dev/null | sort -u | wc -l; }
children() { pgrep -f "lbsim testbed-node" | wc -l || true; }
