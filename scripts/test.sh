#!/usr/bin/env bash
# Runs smimg's whole test suite against the loopback harness:
#   scripts/test-env.sh up  ->  swift build  ->  swift test [ARGS...]  ->  scripts/test-env.sh down
# Extra arguments go to `swift test` (e.g. `scripts/test.sh --filter RegistryTests`).
# The harness variables (.test-env/env) are exported, with SMIMG_TEST_REQUIRE=1 so that a test
# needing the harness fails instead of being skipped. Exits with swift test's status (or with the
# status of the step that failed before it). The harness is always taken down on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

section() { printf '\n==== %s ====\n' "$*"; }

teardown() {
  local status=$?
  section "harness: down"
  scripts/test-env.sh down || echo "warning: scripts/test-env.sh down failed" >&2
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

section "harness: up"
scripts/test-env.sh up
set -a
# shellcheck disable=SC1091
. "$ROOT/.test-env/env"
set +a
export SMIMG_TEST_REQUIRE=1

section "swift build"
swift build

section "swift test $*"
status=0
swift test "$@" || status=$?
section "swift test exited with status $status"
exit "$status"
