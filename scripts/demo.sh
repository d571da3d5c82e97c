#!/usr/bin/env bash
# `make demo`: build what is missing (demo catalog, ingested store, trained models, Rasa model),
# then start every process in the Procfile; Ctrl-C or SIGTERM stops them all.
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
manifest="$RECOMMENDER_VAR/catalog/manifest.json"
ingested=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"])' \
  "$manifest" 2>/dev/null || true)
# Ingested again when it came from another folder or a file of this one changed since.
changed=$(find "$source_dir" -maxdepth 1 -name '*.csv' -newer "$manifest" 2>/dev/null | head -1)
if [ "$ingested" != "$source_dir" ] || [ -n "$changed" ]; then
  echo "==> Ingesting $source_dir"
  "$rec" ingest "$source_dir"
fi

echo "==> Training the recommender on $source_dir (skipped when its models are current)"
"$rec" train --if-outdated

echo "==> Teaching the assistant this catalog's words, then training it (skipped when unchanged)"
# The committed data/lookups/ come from the demo catalog; another catalog gets its own, under var/.
mkdir -p var/rasa/models
"$RASA_VENV/bin/python" scripts/make_lookups.py "$source_dir" --out var/rasa/lookups
"$RASA_VENV/bin/rasa" train --quiet --data data/nlu data/rules.yml data/stories.yml var/rasa/lookups \
  --out var/rasa/models --fixed-model-name assistant

# A support account for the review app on first run, its password printed once.
accounts=${REVIEW_ACCOUNTS:-$RECOMMENDER_VAR/review/accounts.json}
reviewer=""
if [ ! -s "$accounts" ]; then
  password=$("$RASA_VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')
  echo "$password" | "$RASA_VENV/bin/python" -m bot.review.accounts --file "$accounts" add support --password-stdin
  reviewer="    Review app sign-in (created now, shown once): support / $password"
fi

cat <<MSG
==> Starting the recommender (:${RECOMMENDER_PORT:-8000}), the action server (:${ACTIONS_PORT:-5055}),
    Rasa (:${RASA_PORT:-5005}) and the web server (:${WEB_PORT:-8080}).

    The shop with the chat widget:  http://localhost:${WEB_PORT:-8080}/
    The conversation review app:    http://localhost:${WEB_PORT:-8080}/review
$reviewer

    Or talk to the assistant through Rasa's REST channel:
    curl -s localhost:${RASA_PORT:-5005}/webhooks/rest/webhook -d '{"sender":"me","message":"hi"}'
    Ctrl-C stops everything.
MSG
exec "$VENV/bin/honcho" -f Procfile start
