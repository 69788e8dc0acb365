#!/usr/bin/env bash
# Where a consumer's time goes, Tributary vs Apache Kafka 4.3.1: both brokers up on fresh dirs, one topic of
# N records produced to each, then Kafka's ConsumerPerformance reads it back REPS times per broker (order
# alternating) with --print-metrics. Prints per read: records/s, the fetch latency the client measured, the
# bytes and records per fetch, and the consumer process's CPU seconds against its wall time.
#
# Usage:  bench/side-by-side/consume-probe.sh
# Env:    N=3000000 SIZE=100 COMP=none|zstd|lz4|snappy|gzip REPS=3 KAFKA_PORT=49100 TRIBUTARY_PORT=49110
#         KAFKA_PEER=... (default ../shared/bench/kafka-peer from the repo root)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/start-kafka.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
# shellcheck source=/dev/null
"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
source "$KAFKA_PEER/common.sh"
require_lib
N="${N:-3000000}"; SIZE="${SIZE:-100}"; COMP="${COMP:-none}"; REPS="${REPS:-3}"
KAFKA_PORT="${KAFKA_PORT:-49100}"; TRIBUTARY_PORT="${TRIBUTARY_PORT:-49110}"

ls "$ROOT"/broker/target/tributary-broker-*.jar >/dev/null 2>&1 \
  || (cd "$ROOT" && mvn -q -B -DskipTests package -pl broker -am)
TCP="$(ls "$ROOT"/broker/target/tributary-broker-*.jar):$ROOT/broker/target/lib/*"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/consume-probe.XXXXXX")"
TPID=""
cleanup() {
  [[ -n "$TPID" ]] && kill "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null || true
  "$KAFKA_PEER/stop-kafka.sh" "$WORK/kafka" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/kafka" "$WORK/tributary"
CONTROLLER_PORT=$((KAFKA_PORT + 1)) "$KAFKA_PEER/start-kafka.sh" "$WORK/kafka" "$KAFKA_PORT" >/dev/null
"$JAVA" -cp "$TCP" dev.tributary.broker.cli.TributaryCommand broker --listen "127.0.0.1:$TRIBUTARY_PORT" \
  --data-dir "$WORK/tributary/data" --set group.initial.rebalance.delay.ms=0 >"$WORK/tributary/log" 2>&1 &
TPID=$!
for _ in $(seq 1 120); do can_connect 127.0.0.1 "$TRIBUTARY_PORT" && break; sleep 0.5; done

for port in "$KAFKA_PORT" "$TRIBUTARY_PORT"; do
  run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create --topic probe \
    --partitions 1 >/dev/null
  run_tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "127.0.0.1:$port" --topic probe \
    --num-records "$N" --record-size "$SIZE" --throughput -1 \
    --command-property acks=1 batch.size=262144 linger.ms=5 compression.type="$COMP" >/dev/null
done
sync; sleep 5

metric() { awk -v m="$1" -F: '$2 == m { v = $NF; gsub(/ /, "", v); print v; exit }' "$2"; }
echo "consume-probe: N=$N SIZE=$SIZE COMP=$COMP; rec/s = ConsumerPerformance's (group join included)"
printf "%-10s %4s %12s %12s %14s %14s %10s %10s %14s\n" broker rep rec_per_s fetch_only fetch_ms_avg \
  fetch_bytes_avg rec_per_fetch client_cpu client_cpu_per_s
for rep in $(seq 1 "$REPS"); do
  order=("kafka $KAFKA_PORT" "tributary $TRIBUTARY_PORT")
  (( rep % 2 == 0 )) && order=("${order[1]}" "${order[0]}")
  for side in "${order[@]}"; do
    set -- $side
    out="$WORK/c-$1-$rep.txt"
    /usr/bin/time -f "CLIENT_CPU %U %S %e" "$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $LOG4J_OPTS \
      -Dbench.log.level=WARN -cp "$CP" org.apache.kafka.tools.ConsumerPerformance \
      --bootstrap-server "127.0.0.1:$2" --topic probe --messages "$N" --print-metrics --group "probe-$rep-$1" \
      --command-property group.protocol=classic >"$out" 2>&1
    # data line: start, end, MB, MB/s, records, rec/s, rebalance ms, fetch ms, fetch MB/s, fetch rec/s
    read -r rps fonly < <(grep -E '^[0-9]{4}-' "$out" | tail -1 | awk -F', ' '{print $6, $10}')
    read -r u s e < <(grep CLIENT_CPU "$out" | awk '{print $2, $3, $4}')
    printf "%-10s %4s %12.0f %12.0f %14s %14.0f %10.0f %10.1f %14.2f\n" "$1" "$rep" "$rps" "$fonly" \
      "$(metric fetch-latency-avg "$out")" "$(metric fetch-size-avg "$out")" \
      "$(metric records-per-request-avg "$out")" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" \
      "$(awk -v u="$u" -v s="$s" -v e="$e" 'BEGIN{print (u+s)/e}')"
  done
done
