#!/usr/bin/env bash
# Runs picam on this machine with embedded defaults: the relay on http://localhost:8080, an embedded
# PostgreSQL with its data in ./data, and a built-in test-pattern camera (stream "demo").
# Needs only a JDK 17+. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests package

export PICAM_DEMO_ENABLED=true
export PICAM_ADMIN_PASSWORD="${PICAM_ADMIN_PASSWORD:-picam-demo}"
# The demo's password is well known: listen on this machine only unless told otherwise.
export QUARKUS_HTTP_HOST="${QUARKUS_HTTP_HOST:-127.0.0.1}"
port="${PORT:-8080}"

cat <<MSG
==> starting the relay
    open http://localhost:${port}/ and log in as admin / ${PICAM_ADMIN_PASSWORD}
    (the password is set on the very first start; delete ./data to start over)
MSG
exec java -jar relay-app/target/quarkus-app/quarkus-run.jar
