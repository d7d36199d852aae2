#!/usr/bin/env bash
# Runs picam on this machine with embedded defaults: the relay with an embedded PostgreSQL (data in ./data) and
# two Pi clients streaming a test pattern into it, just as a Pi would: stream "demo" (MPEG-1 in MPEG-TS, played
# by jsmpeg) and stream "demo-h264" (H.264 in fMP4, played through Media Source Extensions). Needs only a
# JDK 17+. Ctrl-C stops everything.
#
#   ./demo.sh                  on http://localhost:8080, reachable from this machine only
#   ./demo.sh --host 0.0.0.0   reachable from other devices on your network too (a phone, say)
#   PORT=9090 ./demo.sh        another port
set -euo pipefail
cd "$(dirname "$0")"

host="${QUARKUS_HTTP_HOST:-127.0.0.1}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) host="${2:?--host needs an address, e.g. 0.0.0.0}"; shift 2 ;;
    --host=*) host="${1#--host=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

# Maven's own lines, without the download noise: one per module and the result, so a first build (about a
# minute, longer while Maven fetches what it needs) is visibly moving.
echo "==> building picam (./mvnw -B -DskipTests package)"
./mvnw -B -ntp -DskipTests package | grep --line-buffered -E '^\[INFO\] (Building |BUILD )|^\[(ERROR|WARNING)\]' || {
  echo "the build failed; run ./mvnw -B -DskipTests package to see why" >&2; exit 1; }

export PICAM_DATA_DIR="${PICAM_DATA_DIR:-$PWD/data}"
export PICAM_DEMO_ENABLED=true
export PICAM_DEMO_PUBLISHER=client
export PICAM_ADMIN_PASSWORD="${PICAM_ADMIN_PASSWORD:-picam-demo}"
export QUARKUS_HTTP_HOST="$host"
port="${PORT:-8080}"
secrets=("$PICAM_DATA_DIR/demo.secret" "$PICAM_DATA_DIR/demo-h264.secret")
rm -f "${secrets[@]}"

echo "==> starting the relay on $host:$port"
java -jar relay-app/target/quarkus-app/quarkus-run.jar &
relay=$!
clients=()

# The relay goes first, so that it says goodbye to connected cameras and viewers (and counts them); the clients,
# told the relay is restarting, are stopped half a second later, before they try again.
stop() {
  trap - EXIT INT TERM
  set +e
  kill -TERM "$relay" 2>/dev/null
  sleep 0.5 # the relay's goodbyes go out at once; the clients must not retry into its shutdown
  [[ ${#clients[@]} -gt 0 ]] && kill -TERM "${clients[@]}" 2>/dev/null
  wait 2>/dev/null
  exit 0
}
trap stop EXIT INT TERM

echo "==> waiting for the relay"
for _ in $(seq 1 240); do
  if [[ -s "${secrets[0]}" && -s "${secrets[1]}" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 $relay 2>/dev/null || { echo "the relay stopped; see its log above" >&2; exit 1; }
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

if [[ $host == 127.0.0.1 || $host == localhost ]]; then
  where="http://localhost:${port}/ (this machine only; ./demo.sh --host 0.0.0.0 lets other devices in)"
else
  lan=$(hostname -I 2>/dev/null | awk '{print $1}')
  where="http://localhost:${port}/ here, or http://${lan:-this-machine}:${port}/ from another device
    WARNING: anyone on your network who knows the demo password can log in"
fi
cat <<MSG

    picam is running: open ${where}
    Log in as admin / ${PICAM_ADMIN_PASSWORD} (set on the very first start; delete ./data to start over).
    Ctrl-C stops it.

MSG
wait $relay
