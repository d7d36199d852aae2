#!/usr/bin/env bash
# Runs picam on this machine with embedded defaults: the relay on http://localhost:8080 with an embedded
# PostgreSQL (data in ./data) and two Pi clients streaming a test pattern into it, just as a Pi would:
# stream "demo" (MPEG-1 in MPEG-TS, played by jsmpeg) and stream "demo-h264" (H.264 in fMP4, played through
# Media Source Extensions). Needs only a JDK 17+. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests package

export PICAM_DATA_DIR="${PICAM_DATA_DIR:-$PWD/data}"
export PICAM_DEMO_ENABLED=true
export PICAM_DEMO_PUBLISHER=client
export PICAM_ADMIN_PASSWORD="${PICAM_ADMIN_PASSWORD:-picam-demo}"
# The demo's password is well known: listen on this machine only unless told otherwise.
export QUARKUS_HTTP_HOST="${QUARKUS_HTTP_HOST:-127.0.0.1}"
port="${PORT:-8080}"
secrets=("$PICAM_DATA_DIR/demo.secret" "$PICAM_DATA_DIR/demo-h264.secret")
rm -f "${secrets[@]}"

java -jar relay-app/target/quarkus-app/quarkus-run.jar &
relay=$!
clients=()
trap 'kill "${clients[@]}" $relay 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

echo "==> waiting for the relay"
for _ in $(seq 1 120); do
  if [[ -s "${secrets[0]}" && -s "${secrets[1]}" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 $relay 2>/dev/null || { echo "the relay stopped; see its log above"; exit 1; }
  sleep 0.5
done

# 127.0.0.1, not localhost: the bundled static ffmpeg cannot resolve host names.
for format in mpegts fmp4; do
  stream=demo; [[ $format == fmp4 ]] && stream=demo-h264
  echo "==> starting a Pi client: picam stream --source test --format $format --stream $stream"
  java -Xmx96m -jar pi-client/target/quarkus-app/quarkus-run.jar stream --source test --format $format \
    --size 640x360 --bitrate 1M --relay "http://127.0.0.1:$port" --stream $stream \
    --secret-file "$PICAM_DATA_DIR/$stream.secret" &
  clients+=($!)
done

cat <<MSG

    picam is running: open http://localhost:${port}/ and log in as admin / ${PICAM_ADMIN_PASSWORD}
    (the password is set on the very first start; delete ./data to start over). Ctrl-C stops it.

MSG
wait $relay
