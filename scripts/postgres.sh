#!/usr/bin/env bash
# PostgreSQL for the tracker-store and review-app tests: Debian's server, with a role and a
# database that only tests use. Prints the database's URL (tests read it as TEST_POSTGRES_URL).
#
#   scripts/postgres.sh         installs postgresql (apt) when missing, starts a cluster when none
#                               is running, creates the test role and database; prints the URL
#   scripts/postgres.sh --url   changes nothing: prints the URL only when that database answers
set -euo pipefail

ROLE=rasa_test
DB=rasa_test
# A local, test-only role: its password protects nothing worth a secret.
PASSWORD=rasa_test

online_port() { pg_lsclusters --no-header 2>/dev/null | awk '$4 == "online" { print $3; exit }'; }
url() { echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$1/$DB"; }
answers() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

if [ "${1-}" = --url ]; then
  port=$(online_port || true)
  if [ -n "$port" ] && answers "$(url "$port")"; then url "$port"; fi
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null; then
  echo "==> Installing PostgreSQL from Debian's packages" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
    || { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
fi

if [ -z "$(online_port)" ]; then
  read -r version cluster _ < <(pg_lsclusters --no-header) || true
  if [ -z "${version-}" ]; then  # the package made no cluster (some images skip it)
    version=$(ls /usr/lib/postgresql | sort -V | tail -1) cluster=main
    as_root pg_createcluster "$version" "$cluster" >&2
  fi
  echo "==> Starting PostgreSQL $version/$cluster" >&2
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

port=$(online_port)
as_postgres psql -p "$port" -q -v ON_ERROR_STOP=1 >&2 <<SQL
SELECT 'CREATE ROLE $ROLE LOGIN PASSWORD ''$PASSWORD''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
SELECT 'CREATE DATABASE $DB OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
SQL
url "$port"
