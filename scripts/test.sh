#!/usr/bin/env bash
# `make test`: every test, each part in its own environment. Every part runs even when an
# earlier one fails, and the exit status says whether all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
rasa=.venv-rasa/bin/rasa
failed=()

step() {
  local name=$1; shift
  echo "==> $name"
  "$@" || failed+=("$name")
}

step "recommender tests" .venv/bin/python -m pytest tests/recommender "$@"
step "action server tests" .venv-rasa/bin/python -m pytest tests/actions "$@"
step "rasa data validate" "$rasa" data validate --fail-on-warnings --quiet
mkdir -p var/rasa
step "rasa train (from scratch)" "$rasa" train --force --quiet --out var/rasa/test-models --fixed-model-name ci
step "rasa test core (test stories)" "$rasa" test core --stories tests/conversations \
  --model var/rasa/test-models/ci.tar.gz --out var/rasa/test-results --fail-on-prediction-errors
# The tracker-store and review tests use PostgreSQL as well as SQLite when one answers
# (.ci/run starts one; scripts/postgres.sh does the same on a workstation).
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-$(scripts/postgres.sh --url)}
step "web tests (tracker store, review app)" .venv-rasa/bin/python -m pytest tests/bot "$@"
step "end-to-end: REST conversations, widget and review app in a browser" .venv-rasa/bin/python -m pytest tests/e2e "$@"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All test suites passed."
