#!/usr/bin/env bash
# Runs picam on this machine with embedded defaults: the relay on http://localhost:8080 with an embedded
# PostgreSQL (data in ./data), a test-pattern camera inside the relay (stream "demo", MPEG-1 for jsmpeg),
# and the Pi client streaming H.264 test video into it (stream "demo-h264", fMP4 for MSE), just as a
# Pi would. Needs only a JDK 17+. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests package

export PICAM_DATA_DIR="${PICAM_DATA_DIR:-$PWD/data}"
export PICAM_DEMO_ENABLED=true
export PICAM_ADMIN_PASSWORD="${PICAM_ADMIN_PASSWORD:-picam-demo}"
# The demo's password is well known: listen on this machine only unless told otherwise.
export QUARKUS_HTTP_HOST="${QUARKUS_HTTP_HOST:-127.0.0.1}"
port="${PORT:-8080}"
secret_file="$PICAM_DATA_DIR/demo-h264.secret"
rm -f "$secret_file"

java -jar relay-app/target/quarkus-app/quarkus-run.jar &
relay=$!
client=""
trap 'kill $client $relay 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

echo "==> waiting for the relay"
for _ in $(seq 1 120); do
  if [[ -s "$secret_file" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 $relay 2>/dev/null || { echo "the relay stopped; see its log above"; exit 1; }
  sleep 0.5
done

echo "==> starting the Pi client: picam stream --source test --format fmp4"
java -jar pi-client/target/quarkus-app/quarkus-run.jar stream --source test --format fmp4 --size 640x360 \
  --bitrate 1M --relay "http://127.0.0.1:$port" --stream demo-h264 --secret-file "$secret_file" &
client=$!

cat <<MSG

    picam is running: open http://localhost:${port}/ and log in as admin / ${PICAM_ADMIN_PASSWORD}
    (the password is set on the very first start; delete ./data to start over). Ctrl-C stops it.

MSG
wait $relay
