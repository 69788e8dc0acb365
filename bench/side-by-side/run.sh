#!/usr/bin/env bash
# Tributary vs Apache Kafka 4.3.1, side by side on this machine, with Kafka's own perf tools.
# See README.md next to this script for what is measured and how to read the output.
#
# Usage:  bench/side-by-side/run.sh                 full run (ROUNDS=2, SCALE=1; ~25-30 min on 2 cores)
#         SCALE=0.02 ROUNDS=2 bench/side-by-side/run.sh   smoke run (~5 min)
# Env:    ROUNDS=2            rounds; each round runs both brokers, order alternating (odd: Kafka first)
#         SCALE=1             multiplies every record count (perf.sh's SCALE too)
#         WORKLOADS="a b c d e f"   subset (a-d are perf.sh's matrix, e = 1 MiB records, f = 64 partitions)
#         HALF_SECONDS=15     length of each 50%-load latency run (records = rate x seconds, at most the full count)
#         KAFKA_PORT=49000    Kafka listener (controller on +1); TRIBUTARY_PORT=49010
#         OUT_DIR=...         default bench/side-by-side/results/<timestamp>; `latest` links to it
#         TRIBUTARY_JAVA_OPTS JVM flags for Tributary's broker (default: none, i.e. what bin/tributary gives)
#         TRIBUTARY_CP=...     classpath of the broker under test (default: a copy of broker/target, taken at start)
#         TRIBUTARY_SET="k=v ..."   extra --set broker configs for Tributary (added to the parity settings below)
#         JFR=1               record a JFR profile (settings=profile) of Tributary in each full-load session
#         KAFKA_PEER=...      the kafka-peer harness (default: ../shared/bench/kafka-peer from the repo root)
#         BUILD=auto|always|never   build Tributary's broker and the report module (auto: when missing/stale)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/perf.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
# shellcheck source=/dev/null
"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
source "$KAFKA_PEER/common.sh"   # JAVA, CP (Kafka 4.3.1 lib/*), TOOL_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, LOG4J_OPTS, can_connect
require_lib

ROUNDS="${ROUNDS:-2}"
SCALE="${SCALE:-1}"
WORKLOADS="${WORKLOADS:-a b c d e f}"
HALF_SECONDS="${HALF_SECONDS:-15}"
KAFKA_PORT="${KAFKA_PORT:-49000}"
TRIBUTARY_PORT="${TRIBUTARY_PORT:-49010}"
TRIBUTARY_JAVA_OPTS="${TRIBUTARY_JAVA_OPTS:-}"
# The kafka-peer Kafka runs with group.initial.rebalance.delay.ms=0 and auto-create off; Tributary gets the same.
TRIBUTARY_SET="group.initial.rebalance.delay.ms=0 auto.create.topics.enable=false ${TRIBUTARY_SET:-}"
TRIBUTARY_MAIN="${TRIBUTARY_MAIN:-dev.tributary.broker.cli.TributaryCommand}"
JFR="${JFR:-0}"
BUILD="${BUILD:-auto}"
STEP_TIMEOUT="${STEP_TIMEOUT:-600}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="${OUT_DIR:-$HERE/results/$STAMP}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tributary-sbs.XXXXXX")"
RAW="$OUT/raw.csv"
LOGF="$OUT/run.log"
CLK_TCK=$(getconf CLK_TCK)
exec > >(tee -a "$LOGF") 2>&1

# id parts record_bytes records acks compression runner
#  a-d: the kafka-peer perf.sh matrix, run through perf.sh itself (WORKLOADS/SCALE/OUT_DIR/BROKER_PID)
#  e:   1 MiB records (max.message.bytes / max.request.size raised to 2 MiB on both brokers, since one
#       1 MiB record plus batch overhead is over Kafka's 1048588-byte default)
#  f:   perf.sh's d on 64 partitions
matrix() {
  cat <<'M'
a 1  100     5000000 1   none   perf
b 1  100     5000000 1   zstd   perf
c 1  100     5000000 1   lz4    perf
d 8  1024    1000000 all snappy perf
e 1  1048576 2000    1   none   own
f 64 1024    1000000 all snappy own
M
}
label() {  # id parts size acks comp
  local sz="$3B"; [[ $3 == 1048576 ]] && sz="1MiB"
  echo "$1-$2p-$sz-acks$4-$5"
}
records() { awk -v n="$1" -v s="$SCALE" 'BEGIN{x=int(n*s); if (x<10) x=10; print x}'; }
extra_producer_props() { [[ $1 == e ]] && echo "max.request.size=2097152" || true; }
topic_configs() { [[ $1 == e ]] && echo "--config max.message.bytes=2097152" || true; }

raw() { echo "$1,$2,$3,$4,$5" >>"$RAW"; }   # broker round workload metric value
cpu_s() { sed 's/.*) //' "/proc/$1/stat" | awk -v t="$CLK_TCK" '{printf "%.2f", ($12+$13)/t}'; }
rss_mib() { awk -v k="$2:" '$1==k{printf "%.0f", $2/1024}' "/proc/$1/status"; }
per_gib() { awk -v c="$1" -v b="$2" 'BEGIN{ if (c=="NA" || b<=0) print "NA"; else printf "%.4f", c/(b/1073741824) }'; }

# "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, p95 ms 95th, p99 ms 99th, ..."
parse_produce() {  # LOG EXPECTED -> "rps p50 p99" or "NA NA NA"
  local line; line="$(grep 'records sent' "$1" 2>/dev/null | tail -1 || true)"
  echo "$line" | awk -v want="$2" '
    match($0, /^[0-9]+ records sent, [0-9.]+ records\/sec/) {
      split($0, f, ", "); sent=f[1]+0; rps=f[2]+0
      for (i in f) { if (f[i] ~ / ms 50th/) p50=f[i]+0; if (f[i] ~ / ms 99th/) p99=f[i]+0 }
      if (sent == want) { printf "%s %s %s\n", rps, p50, p99; ok=1 } }
    END { if (!ok) print "NA NA NA" }'
}
# ConsumerPerformance CSV: start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.ms, fetch.ms, fetch.MB.sec, fetch.nMsg.sec
parse_consume() {  # LOG EXPECTED -> rps or NA
  grep -q "Exiting before consuming" "$1" 2>/dev/null && { echo NA; return; }
  awk -F', ' -v want="$2" 'NF>=10 && $5 ~ /^[0-9]+$/ {got=$5+0; rps=$6+0}
    END { if (got == want && got > 0) printf "%s\n", rps; else print "NA" }' "$1" 2>/dev/null || echo NA
}

tool() {  # MAIN ARGS... (a Kafka 4.3.1 tool on the kafka-peer classpath)
  local main="$1"; shift
  timeout "$STEP_TIMEOUT" "$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $LOG4J_OPTS -Dbench.log.level=WARN -cp "$CP" "$main" "$@" </dev/null
}
create_topic() {  # BOOT TOPIC PARTS [configs...]
  local boot="$1" topic="$2" parts="$3"; shift 3
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$boot" --create --topic "$topic" \
    --partitions "$parts" --replication-factor 1 "$@"
}
produce() {  # BOOT TOPIC N SIZE ACKS COMP THROUGHPUT EXTRA_PROPS LOG
  # same client settings as perf.sh: batch.size=262144 linger.ms=5
  # shellcheck disable=SC2086
  tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$1" --topic "$2" \
    --num-records "$3" --record-size "$4" --throughput "$7" \
    --command-property acks="$5" batch.size=262144 linger.ms=5 compression.type="$6" $8 >"$9" 2>&1 || true
}
consume() {  # BOOT TOPIC N GROUP LOG
  tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$1" --topic "$2" --num-records "$3" \
    --timeout 30000 --group "$4" --command-property group.protocol=classic >"$5" 2>&1 || true
}

# ---------------------------------------------------------------- building
tributary_jar() { ls "$ROOT"/broker/target/tributary-broker-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true; }
report_jar() { ls "$HERE"/report/target/tributary-bench-report-*.jar 2>/dev/null | head -1 || true; }
stale() {  # JAR DIRS... : missing, or a source newer than the jar
  [[ -n "$1" && -f "$1" ]] || return 0
  local jar="$1"; shift
  [[ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}
if [[ $BUILD == always ]] || { [[ $BUILD == auto ]] && stale "$(tributary_jar)" "$ROOT/pom.xml" "$ROOT/core-log/src/main" "$ROOT/core-log/pom.xml" "$ROOT/broker/src/main" "$ROOT/broker/pom.xml"; }; then
  echo "run.sh: building Tributary's broker (mvn -q -B -DskipTests package -pl broker -am)"
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl broker -am) >"$OUT/build-broker.log" 2>&1 \
    || { tail -40 "$OUT/build-broker.log"; echo "run.sh: broker build failed" >&2; exit 1; }
fi
if [[ $BUILD == always ]] || { [[ $BUILD == auto ]] && stale "$(report_jar)" "$HERE/report/src/main" "$HERE/report/pom.xml"; }; then
  echo "run.sh: building the report module (mvn -q -B -DskipTests package -pl bench/side-by-side/report)"
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl bench/side-by-side/report) >"$OUT/build-report.log" 2>&1 \
    || { tail -40 "$OUT/build-report.log"; echo "run.sh: report build failed" >&2; exit 1; }
fi
# Run from a copy, so that rebuilding the broker while a run is going does not change the broker under test.
if [[ -z "${TRIBUTARY_CP:-}" ]]; then
  mkdir -p "$WORK/tributary-cp"; cp "$(tributary_jar)" "$WORK/tributary-cp/"; cp -r "$ROOT/broker/target/lib" "$WORK/tributary-cp/lib"
  TRIBUTARY_CP="$WORK/tributary-cp/$(basename "$(tributary_jar)"):$WORK/tributary-cp/lib/*"
fi
REPORT_CP="$(report_jar):$HERE/report/target/lib/*"

# ---------------------------------------------------------------- brokers
BPID=""; BKIND=""; BDIR=""
start_broker() {  # KIND DIR JFR_FILE -> BPID, BOOT
  BKIND="$1"; BDIR="$2"; mkdir -p "$BDIR"
  if [[ $BKIND == kafka ]]; then
    # one retry on a fresh dir: on this shared machine a loaded Kafka occasionally gives up during startup
    local try
    for try in 1 2; do
      if CONTROLLER_PORT=$((KAFKA_PORT + 1)) "$KAFKA_PEER/start-kafka.sh" "$BDIR" "$KAFKA_PORT"; then break; fi
      cp "$BDIR/kafka.log" "$OUT/kafka-failed-start-$(date +%H%M%S).log" 2>/dev/null || true
      rm -rf "$BDIR"; mkdir -p "$BDIR"; sleep 5
      [[ $try == 2 ]] && { BPID=""; return 1; }
    done
    BPID="$(cat "$BDIR/kafka.pid")"; BOOT="127.0.0.1:$KAFKA_PORT"
  else
    local jfr="" sets=() kv
    [[ -n "$3" ]] && jfr="-XX:StartFlightRecording=filename=$3,settings=profile,dumponexit=true"
    for kv in $TRIBUTARY_SET; do sets+=(--set "$kv"); done
    # shellcheck disable=SC2086
    nohup "$JAVA" $TRIBUTARY_JAVA_OPTS $jfr -cp "$TRIBUTARY_CP" "$TRIBUTARY_MAIN" broker \
      --listen "127.0.0.1:$TRIBUTARY_PORT" --data-dir "$BDIR/data" "${sets[@]}" >"$BDIR/tributary.log" 2>&1 </dev/null &
    BPID=$!; BOOT="127.0.0.1:$TRIBUTARY_PORT"
    local i
    for i in $(seq 1 120); do
      kill -0 "$BPID" 2>/dev/null || { tail -30 "$BDIR/tributary.log"; echo "run.sh: Tributary exited during startup" >&2; BPID=""; return 1; }
      can_connect 127.0.0.1 "$TRIBUTARY_PORT" && break
      sleep 0.5
    done
    can_connect 127.0.0.1 "$TRIBUTARY_PORT" || { echo "run.sh: Tributary not listening after 60s" >&2; return 1; }
    echo "run.sh: Tributary up on $BOOT, pid $BPID"
  fi
}
stop_broker() {
  [[ -n "$BPID" ]] || return 0
  if [[ $BKIND == kafka ]]; then
    "$KAFKA_PEER/stop-kafka.sh" "$BDIR" || true
  else
    kill -TERM "$BPID" 2>/dev/null || true
    local i; for i in $(seq 1 120); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$BPID" 2>/dev/null && { echo "run.sh: Tributary still alive after 60s, SIGKILL" >&2; kill -KILL "$BPID"; }
    wait "$BPID" 2>/dev/null || true
  fi
  BPID=""
  cp "$BDIR"/*.log "$OUT/$(basename "$BDIR")/" 2>/dev/null || true   # broker log next to the session's tool logs
  rm -rf "$BDIR"
}
cleanup() { stop_broker; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- sessions
# Full load: fresh broker; RSS after start; perf.sh (a-d) then e, f, each produced at --throughput -1 and
# read back fully; broker CPU per step from /proc/PID/stat; peak RSS (VmHWM) at the end.
full_session() {  # KIND ROUND
  local kind="$1" r="$2" dir="$WORK/$1-r$2-full" out="$OUT/$1-r$2-full" jfr=""
  mkdir -p "$out"
  [[ $JFR == 1 && $kind == tributary ]] && jfr="$out/tributary.jfr"
  echo; echo "=== round $r: $kind, full load  ($(date -u +%H:%M:%S))"
  start_broker "$kind" "$dir" "$jfr" || { echo "run.sh: $kind did not start; round $r skipped for it"; return 0; }
  sleep 3
  raw "$kind" "$r" session rss_start_mib "$(rss_mib "$BPID" VmRSS)"

  local perf_ids="" id parts size n acks comp via wl
  while read -r id parts size n acks comp via; do
    [[ " $WORKLOADS " == *" $id "* && $via == perf ]] && perf_ids+="$id "
  done < <(matrix)
  declare -A cpu_p=() cpu_c=()
  if [[ -n "$perf_ids" ]]; then
    WORKLOADS="$perf_ids" SCALE="$SCALE" RUN_ID="sbs-$STAMP-$kind-r$r" OUT_DIR="$out/perf" BROKER_PID="$BPID" \
      STEP_TIMEOUT="$STEP_TIMEOUT" "$KAFKA_PEER/perf.sh" "$BOOT" >"$out/perf.out" 2>&1 || true
    grep -E '^RESULT|^perf:' "$out/perf.out" || true
    # cumulative broker_cpu_s after each step -> per-step deltas, keyed "id step"
    while read -r key step d; do
      [[ $step == produce ]] && cpu_p[$key]="$d" || cpu_c[$key]="$d"
    done < <(awk '/^perf: summary/ { exit }   # perf.sh repeats its RESULT lines after this
                  /broker_cpu_s=/ { match($0, /broker_cpu_s=[0-9.]+/); c = substr($0, RSTART + 13, RLENGTH - 13) + 0 }
                  /^perf: bootstrap=/ { prev = c }
                  /^RESULT / && /broker_cpu_s=/ { printf "%s %s %.2f\n", substr($2, 1, 1), $3, c - prev; prev = c }' "$out/perf.out")
  fi

  local topic rps p50 p99 c0 c1
  while read -r id parts size n acks comp via; do
    [[ " $WORKLOADS " == *" $id "* && $via == own ]] || continue
    n=$(records "$n"); topic="sbs-$STAMP-$kind-r$r-$id"
    # shellcheck disable=SC2046
    create_topic "$BOOT" "$topic" "$parts" $(topic_configs "$id") >"$out/$id.create.log" 2>&1 || cat "$out/$id.create.log"
    c0=$(cpu_s "$BPID")
    produce "$BOOT" "$topic" "$n" "$size" "$acks" "$comp" -1 "$(extra_producer_props "$id")" "$out/$id.produce.log"
    c1=$(cpu_s "$BPID"); cpu_p[$id]=$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b-a}')
    consume "$BOOT" "$topic" "$n" "$topic-g" "$out/$id.consume.log"
    c0=$(cpu_s "$BPID"); cpu_c[$id]=$(awk -v a="$c1" -v b="$c0" 'BEGIN{printf "%.2f", b-a}')
  done < <(matrix)

  local plog clog bytes
  while read -r id parts size n acks comp via; do
    [[ " $WORKLOADS " == *" $id "* ]] || continue
    n=$(records "$n"); wl=$(label "$id" "$parts" "$size" "$acks" "$comp")
    if [[ $via == perf ]]; then plog="$out/perf/$id.produce.log"; clog="$out/perf/$id.consume.log"
    else plog="$out/$id.produce.log"; clog="$out/$id.consume.log"; fi
    read -r rps p50 p99 < <(parse_produce "$plog" "$n")
    local crps; crps=$(parse_consume "$clog" "$n")
    bytes=$(awk -v n="$n" -v s="$size" 'BEGIN{printf "%.0f", n*s}')
    local cp="${cpu_p[$id]:-NA}" cc="${cpu_c[$id]:-NA}"
    [[ $rps == NA ]] && cp=NA
    [[ $crps == NA ]] && cc=NA
    raw "$kind" "$r" "$wl" produce_rps "$rps"
    raw "$kind" "$r" "$wl" produce_p50_ms "$p50"
    raw "$kind" "$r" "$wl" produce_p99_ms "$p99"
    raw "$kind" "$r" "$wl" consume_rps "$crps"
    raw "$kind" "$r" "$wl" cpu_produce_s_per_gib "$(per_gib "$cp" "$bytes")"
    raw "$kind" "$r" "$wl" cpu_consume_s_per_gib "$(per_gib "$cc" "$bytes")"
    if [[ $cp == NA || $cc == NA ]]; then raw "$kind" "$r" "$wl" cpu_s_per_gib NA
    else raw "$kind" "$r" "$wl" cpu_s_per_gib "$(per_gib "$(awk -v a="$cp" -v b="$cc" 'BEGIN{print a+b}')" $((bytes * 2)))"; fi
    printf 'run.sh: %-5s r%s %-24s produce %10s rec/s p50 %5s p99 %6s ms | consume %10s rec/s | cpu %5ss + %5ss\n' \
      "$kind" "$r" "$wl" "$rps" "$p50" "$p99" "$crps" "$cp" "$cc"
  done < <(matrix)
  raw "$kind" "$r" session rss_peak_mib "$(rss_mib "$BPID" VmHWM)"
  echo "run.sh: $kind r$r RSS after start $(grep "^$kind,$r,session,rss_start_mib" "$RAW" | cut -d, -f5) MiB, peak $(rss_mib "$BPID" VmHWM) MiB, CPU total $(cpu_s "$BPID") s"
  stop_broker
}

# 50% load: fresh broker; each workload produced at half of Kafka's full-load rec/s of the same round.
half_session() {  # KIND ROUND
  local kind="$1" r="$2" dir="$WORK/$1-r$2-half" out="$OUT/$1-r$2-half"
  mkdir -p "$out"
  echo; echo "=== round $r: $kind, 50% of Kafka's full-load rate  ($(date -u +%H:%M:%S))"
  start_broker "$kind" "$dir" "" || { echo "run.sh: $kind did not start; round $r skipped for it"; return 0; }
  local id parts size n acks comp via wl krps rate topic rps p50 p99
  while read -r id parts size n acks comp via; do
    [[ " $WORKLOADS " == *" $id "* ]] || continue
    n=$(records "$n"); wl=$(label "$id" "$parts" "$size" "$acks" "$comp")
    krps=$(awk -F, -v r="$r" -v w="$wl" '$1=="kafka" && $2==r && $3==w && $4=="produce_rps" {print $5}' "$RAW" | tail -1)
    if [[ -z "$krps" || "$krps" == NA ]]; then
      echo "run.sh: no Kafka full-load rate for $wl in round $r; 50% run skipped"
      raw "$kind" "$r" "$wl" half_p50_ms NA; raw "$kind" "$r" "$wl" half_p99_ms NA; continue
    fi
    rate=$(awk -v k="$krps" 'BEGIN{x=int(k/2); if (x<1) x=1; print x}')
    n=$(awk -v rate="$rate" -v s="$HALF_SECONDS" -v n="$n" 'BEGIN{x=int(rate*s); if (x>n) x=n; if (x<10) x=10; print x}')
    topic="sbs-$STAMP-$kind-r$r-half-$id"
    # shellcheck disable=SC2046
    create_topic "$BOOT" "$topic" "$parts" $(topic_configs "$id") >"$out/$id.create.log" 2>&1 || cat "$out/$id.create.log"
    produce "$BOOT" "$topic" "$n" "$size" "$acks" "$comp" "$rate" "$(extra_producer_props "$id")" "$out/$id.produce.log"
    read -r rps p50 p99 < <(parse_produce "$out/$id.produce.log" "$n")
    raw "$kind" "$r" "$wl" half_p50_ms "$p50"
    raw "$kind" "$r" "$wl" half_p99_ms "$p99"
    printf 'run.sh: %-5s r%s %-24s at %9s rec/s (%s records): p50 %5s p99 %6s ms\n' "$kind" "$r" "$wl" "$rate" "$n" "$p50" "$p99"
  done < <(matrix)
  stop_broker
}

echo "run.sh: Tributary vs Kafka 4.3.1  rounds=$ROUNDS scale=$SCALE workloads='$WORKLOADS' out=$OUT"
echo "run.sh: machine $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "broker,round,workload,metric,value" >"$RAW"
START=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then order="kafka tributary"; else order="tributary kafka"; fi
  for kind in $order; do full_session "$kind" "$r"; done
  for kind in $order; do half_session "$kind" "$r"; done
done
echo; echo "run.sh: measured in $(( ($(date +%s) - START) / 60 )) min; load now $(cut -d' ' -f1-3 /proc/loadavg)"

"$JAVA" -Djava.awt.headless=true -cp "$REPORT_CP" dev.tributary.bench.report.SideBySideReport "$RAW" "$OUT" \
  "Tributary / Kafka 4.3.1 - $STAMP, rounds=$ROUNDS, scale=$SCALE"
ln -sfn "$OUT" "$HERE/results/latest" 2>/dev/null || true
echo "run.sh: raw $RAW; table $OUT/summary.txt; CSV $OUT/results.csv; chart $OUT/ratios.png"
