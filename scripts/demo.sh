#!/usr/bin/env bash
# `make demo`: build what is missing (demo catalog, ingested store, trained models), then start
# every process and stop them all on Ctrl-C or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
export RECOMMENDER_VAR=${RECOMMENDER_VAR:-$PWD/var}
rec="$VENV/bin/recommender"

if [ -z "$DATA" ]; then
  DATA=$DEMO_DATA
  if [ ! -f "$DATA/articles.csv" ]; then
    echo "==> Writing the built-in demo catalog to $DATA"
    "$rec" demo-data "$DATA"
  fi
fi
[ -d "$DATA" ] || { echo "DATA=$DATA is not a folder: point it at a catalog in H&M's layout." >&2; exit 2; }

source_dir=$(cd "$DATA" && pwd)
ingested=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"])' \
  "$RECOMMENDER_VAR/catalog/manifest.json" 2>/dev/null || true)
if [ "$ingested" != "$source_dir" ]; then
  echo "==> Ingesting $source_dir"
  "$rec" ingest "$source_dir"
else
  echo "==> Catalog from $source_dir already ingested"
fi

echo "==> The catalog is ready under $RECOMMENDER_VAR/catalog."
echo "    No service exists yet to start: the recommender service, the bot and the web widget"
echo "    come with the next issues."
