#!/usr/bin/env bash
# `make test`: every test, each part in its own environment.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
echo "==> Recommender tests (.venv)"
.venv/bin/python -m pytest tests/recommender "$@" || status=$?
exit $status
