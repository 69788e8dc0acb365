#!/usr/bin/env bash
# Profile Tributary's broker under the side-by-side load, for bench/results/side-by-side.md.
# Starts one Tributary broker on a fresh data dir, then per phase starts a JFR recording (settings=profile)
# with jcmd, runs one Kafka perf tool, stops the recording and summarises it with JfrHotspots
# (CPU samples by method, exact bytes allocated by broker threads, allocation sites, blocking sites).
# A last phase counts the broker's syscalls with strace -c during a smaller produce run.
#
# Usage: bench/side-by-side/profile.sh          (env: PORT=49020, RECORDS=2000000, OUT_DIR, STRACE=1,
#                                                TRIBUTARY_JAVA_OPTS, TRIBUTARY_SET, BUILD=auto|always|never,
#                                                KAFKA_PEER: default ../shared/bench/kafka-peer beside the checkout)
# Output: OUT_DIR/<phase>.jfr, <phase>.txt (JfrHotspots), <phase>.tool.log, strace.txt; a summary on stdout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/perf.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
# shellcheck source=/dev/null
"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
source "$KAFKA_PEER/common.sh"
require_lib
PORT="${PORT:-49020}"
RECORDS="${RECORDS:-2000000}"
STRACE="${STRACE:-1}"
OUT="${OUT_DIR:-$HERE/results/profile-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/tributary-profile.XXXXXX")"
BOOT="127.0.0.1:$PORT"

if [[ "${BUILD:-auto}" != never ]]; then
  jar=$(ls "$ROOT"/broker/target/tributary-broker-*.jar 2>/dev/null | head -1 || true)
  if [[ "${BUILD:-auto}" == always || -z "$jar" || -n "$(find "$ROOT/broker/src/main" "$ROOT/core-log/src/main" -newer "$jar" -type f -print -quit)" ]]; then
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl broker -am) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
  fi
  rjar=$(ls "$HERE"/report/target/tributary-bench-report-*.jar 2>/dev/null | head -1 || true)
  if [[ -z "$rjar" || -n "$(find "$HERE/report/src/main" -newer "$rjar" -type f -print -quit)" ]]; then
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl bench/side-by-side/report) >"$OUT/build-report.log" 2>&1 || { tail -30 "$OUT/build-report.log"; exit 1; }
  fi
fi
TCP="${TRIBUTARY_CP:-$(ls "$ROOT"/broker/target/tributary-broker-*.jar | head -1):$ROOT/broker/target/lib/*}"
RCP="$(ls "$HERE"/report/target/tributary-bench-report-*.jar | head -1):$HERE/report/target/lib/*"

sets=(--set group.initial.rebalance.delay.ms=0 --set auto.create.topics.enable=false)
for kv in ${TRIBUTARY_SET:-}; do sets+=(--set "$kv"); done
# shellcheck disable=SC2086
nohup "$JAVA" ${TRIBUTARY_JAVA_OPTS:-} -cp "$TCP" dev.tributary.broker.cli.TributaryCommand broker \
  --listen "$BOOT" --data-dir "$DATA/data" "${sets[@]}" >"$OUT/tributary.log" 2>&1 </dev/null &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do can_connect 127.0.0.1 "$PORT" && break; sleep 0.5; done
echo "profile: Tributary pid $PID on $BOOT; out $OUT"

# JFR's profile settings sample Java stacks every 10 ms (20 ms in JDK 17's default); a short phase on a busy
# 2-core box then yields only tens of samples, so sample every 1 ms instead.
JFC="$OUT/profile-1ms.jfc"
JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"
sed -E '/<event name="jdk.(ExecutionSample|NativeMethodSample)">/,/<\/event>/ s|<setting name="period">[^<]*</setting>|<setting name="period">1 ms</setting>|' \
  "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$JFC"
# CPU seconds per broker thread, grouped by name with trailing numbers dropped (C2 compiler, GC workers, handlers...)
threads_cpu() {
  local t; for t in /proc/"$PID"/task/*; do
    local st; st="$(cat "$t/stat" 2>/dev/null)" || continue   # the thread may have just exited
    echo "$st" | sed -E 's/^[0-9]+ \((.*)\) .*/\1/' | tr ' ' '_' | tr '\n' ' '
    echo "$st" | sed 's/.*) //' | awk '{print $12+$13}'
  done | awk '{n=$1; sub(/[#0-9_-]+$/, "", n); c[n]+=$2} END{for (k in c) print k, c[k]}' | sort
}
tool() { local m="$1"; shift; "$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $LOG4J_OPTS -Dbench.log.level=WARN -cp "$CP" "$m" "$@" </dev/null; }
cpu() { sed 's/.*) //' "/proc/$PID/stat" | awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($12+$13)/t}'; }
phase() {  # NAME MAIN ARGS...   (one JFR recording around one tool run)
  local name="$1"; shift
  jcmd "$PID" JFR.start name="$name" settings="$JFC" >/dev/null
  local c0; c0=$(cpu); threads_cpu >"$OUT/$name.threads0"
  tool "$@" >"$OUT/$name.tool.log" 2>&1 || true
  local c1; c1=$(cpu); threads_cpu >"$OUT/$name.threads1"
  join -a2 -e0 -o 0,1.2,2.2 "$OUT/$name.threads0" "$OUT/$name.threads1" \
    | awk -v tck="$(getconf CLK_TCK)" '{d=($3-$2)/tck; if (d>0) printf "  %-28s %6.2f s\n", $1, d}' | sort -k2 -nr >"$OUT/$name.threads.txt"
  rm -f "$OUT/$name.threads0" "$OUT/$name.threads1"
  jcmd "$PID" JFR.stop name="$name" filename="$OUT/$name.jfr" >/dev/null
  "$JAVA" -cp "$RCP" dev.tributary.bench.report.JfrHotspots "$OUT/$name.jfr" 30 >"$OUT/$name.txt" 2>&1 || true
  echo "profile: $name: broker CPU $(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b-a}') s; $(grep -E 'records sent|^[0-9-]+ [0-9:.]+, ' "$OUT/$name.tool.log" | tail -1)"
  grep -E '^allocated by' "$OUT/$name.txt" || true
  echo "  broker CPU by thread:"; cat "$OUT/$name.threads.txt"
}

tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic pa --partitions 1 --replication-factor 1 >/dev/null
tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic pd --partitions 8 --replication-factor 1 >/dev/null
phase produce-a org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic pa --num-records "$RECORDS" \
  --record-size 100 --throughput -1 --command-property acks=1 batch.size=262144 linger.ms=5 compression.type=none
phase consume-a org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic pa --num-records "$RECORDS" \
  --timeout 30000 --group pa-g --command-property group.protocol=classic
phase produce-d org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic pd --num-records $((RECORDS / 5)) \
  --record-size 1024 --throughput -1 --command-property acks=all batch.size=262144 linger.ms=5 compression.type=snappy

if [[ $STRACE == 1 ]]; then
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic ps --partitions 1 --replication-factor 1 >/dev/null
  strace -f -c -p "$PID" -o "$OUT/strace-produce.txt" & SP=$!
  sleep 1
  tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic ps --num-records $((RECORDS / 4)) \
    --record-size 100 --throughput -1 --command-property acks=1 batch.size=262144 linger.ms=5 compression.type=none >"$OUT/strace-produce.tool.log" 2>&1 || true
  kill -INT $SP; wait $SP 2>/dev/null || true
  strace -f -c -p "$PID" -o "$OUT/strace-consume.txt" & SP=$!
  sleep 1
  tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic ps --num-records $((RECORDS / 4)) \
    --timeout 30000 --group ps-g --command-property group.protocol=classic >"$OUT/strace-consume.tool.log" 2>&1 || true
  kill -INT $SP; wait $SP 2>/dev/null || true
  echo "profile: syscalls during produce of $((RECORDS / 4)) x 100 B (1 partition; pwrite64 = one per produce request):"
  head -25 "$OUT/strace-produce.txt"
  echo "profile: syscalls during consume:"
  head -25 "$OUT/strace-consume.txt"
fi
echo "profile: JfrHotspots summaries in $OUT/*.txt"
