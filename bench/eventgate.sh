#!/usr/bin/env bash
# The reference for bench/intake.py: Wikimedia's EventGate, one process, on 127.0.0.1:8193.
#
#   git clone https://gerrit.wikimedia.org/r/eventgate    # or github.com/wikimedia/eventgate
#   git -C eventgate checkout 3d793d8268ba855710dab4ce7e0727f14ea2a46f   # 1.8.4
#   bench/eventgate.sh start eventgate     # npm install on first use, then start it
#   .venv/bin/python bench/intake.py --workers 1 --rounds 3 \
#       --reference http://127.0.0.1:8193/v1/events --reference-pid "$(cat eventgate/bench.pid)"
#   bench/eventgate.sh stop eventgate
#
# Configuration: upstream config.yaml with the Kafka section replaced by `output_path` (the
# default-eventgate factory then appends one JSON line per accepted event to a file, as in
# EventGate's own development set-up), schemas from its test/schemas (the bench's /test/0.0.2),
# logging at warn, NODE_ENV=production as deployed (no measurable difference from the default
# here). num_workers: 0 = one process, no cluster. Its first seconds include the JIT warming up:
# use --rounds 3 or more (medians).
set -euo pipefail

usage() { echo "usage: $0 start|stop EVENTGATE_CHECKOUT" >&2; exit 2; }
[ $# -eq 2 ] || usage
DIR=$(cd "$2" && pwd)
PIDFILE="$DIR/bench.pid"
PORT=8193

case "$1" in
start)
    [ -f "$DIR/server.js" ] || { echo "$DIR is not an EventGate checkout (no server.js)" >&2; exit 1; }
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "EventGate already running, pid $(cat "$PIDFILE")" >&2
        exit 1
    fi
    # node-rdkafka (optional) needs a native build and Kafka is not used
    [ -d "$DIR/node_modules" ] || (cd "$DIR" && npm install --omit=optional --omit=dev)
    cat > "$DIR/config.bench.yaml" <<EOF
num_workers: 0
worker_heap_limit_mb: 250
logging:
  level: warn
metrics:
services:
  - name: EventGate
    module: ./app.js
    conf:
      port: $PORT
      interface: 127.0.0.1
      max_body_size: 4mb
      user_agent: eventgate
      eventgate_factory_module: '../lib/factories/default-eventgate'
      schema_uri_field: \$schema
      schema_base_uris: [$DIR/test/schemas]
      stream_field: meta.stream
      output_path: $DIR/bench-out.json
EOF
    : > "$DIR/bench-out.json"
    cd "$DIR"
    NODE_ENV=production nohup node server.js -c config.bench.yaml > bench.log 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 300); do
        if curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/_info"; then
            echo "EventGate up: pid $(cat "$PIDFILE"), http://127.0.0.1:$PORT/v1/events"
            exit 0
        fi
        kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 bench.log >&2; exit 1; }
        sleep 0.1
    done
    echo "EventGate did not answer within 30 s; see $DIR/bench.log" >&2
    exit 1
    ;;
stop)
    [ -f "$PIDFILE" ] || exit 0
    PID=$(cat "$PIDFILE")
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    rm -f "$PIDFILE"
    ;;
*) usage ;;
esac
