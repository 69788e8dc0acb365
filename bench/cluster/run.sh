#!/usr/bin/env bash
# A 3-node Tributary cluster vs a 3-node Apache Kafka 4.3.1 KRaft cluster, side by side on this machine, in
# alternating rounds. See ../results/cluster.md for what is measured and how to read the output.
#
# Usage:  bench/cluster/run.sh                                   full run (ROUNDS=2, SCALE=1, KILLS=10)
#         SCALE=0.01 ROUNDS=1 KILLS=2 bench/cluster/run.sh       smoke run
# Env:    ROUNDS=2            rounds; each runs both clusters, order alternating (odd: Kafka first)
#         SCALE=1             multiplies perf.sh's record counts
#         WORKLOADS="a b c d" perf.sh workloads (all run with RF=3 MIN_ISR=2 ACKS=all)
#         HALF_SECONDS=15     length cap of each half-load latency run
#         KILLS=10            leader kills per system over the whole run, spread over the rounds
#         FAILOVER_TIMEOUT=120  seconds a kill may take before it counts as failed (NA)
#         KAFKA_PORT=29092    Kafka node I on KAFKA_PORT+10*(I-1), its controller on that +1
#         TRIBUTARY_PORT=39092  Tributary node I on TRIBUTARY_PORT+10*(I-1), registry +1, quorum voter +2
#         OUT_DIR=...         default bench/cluster/results/<timestamp>; `latest` links to it
#         TRIBUTARY_JAVA_OPTS JVM flags for Tributary's nodes (default none, what bin/tributary gives)
#         TRIBUTARY_SET="k=v ..."  extra --set configs for Tributary's nodes
#         TRIBUTARY_REGISTRY=0  1: each Tributary node also serves its schema registry on TRIBUTARY_PORT+10*(I-1)+1
#                             (dev-cluster does); 0: --registry-listen none, as Kafka runs no registry
#         TRIBUTARY_CP=...    classpath of the broker under test (default: a copy of broker/target)
#         KAFKA_PEER=...      the kafka-peer harness (default: ../shared/bench/kafka-peer from the repo root)
#         BUILD=auto|always|never  build the broker and the bench module (auto: when missing or stale)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/kafka-cluster.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
# shellcheck source=/dev/null
source "$KAFKA_PEER/common.sh"   # JAVA, CP (Kafka 4.3.1 lib/*), TOOL_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, LOG4J_OPTS, can_connect
require_lib

NODES=3
ROUNDS="${ROUNDS:-2}"
SCALE="${SCALE:-1}"
WORKLOADS="${WORKLOADS:-a b c d}"
HALF_SECONDS="${HALF_SECONDS:-15}"
KILLS="${KILLS:-10}"
FAILOVER_TIMEOUT="${FAILOVER_TIMEOUT:-120}"
KAFKA_PORT="${KAFKA_PORT:-29092}"
TRIBUTARY_PORT="${TRIBUTARY_PORT:-39092}"
TRIBUTARY_JAVA_OPTS="${TRIBUTARY_JAVA_OPTS:-}"
# Parity with the kafka-peer cluster: its server.properties set these two, and Kafka's defaults for the broker
# session (9000 ms) and heartbeat (2000 ms) are written out for Tributary so both fence a dead node alike.
# kafka-cluster.sh cannot change Kafka's, so these two are not settings of this script.
TRIBUTARY_SET="group.initial.rebalance.delay.ms=0 auto.create.topics.enable=false broker.session.timeout.ms=9000 broker.heartbeat.interval.ms=2000 ${TRIBUTARY_SET:-}"
TRIBUTARY_MAIN="${TRIBUTARY_MAIN:-dev.tributary.broker.cli.TributaryCommand}"
TRIBUTARY_REGISTRY="${TRIBUTARY_REGISTRY:-0}"
BUILD="${BUILD:-auto}"
STEP_TIMEOUT="${STEP_TIMEOUT:-600}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="${OUT_DIR:-$HERE/results/$STAMP}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tributary-cbench.XXXXXX")"
RAW="$OUT/raw.csv"
LOGF="$OUT/run.log"
CLK_TCK=$(getconf CLK_TCK)
exec > >(tee -a "$LOGF") 2>&1

# id partitions record_bytes records: perf.sh's matrix (acks forced to all by ACKS=all)
matrix() {
  cat <<'M'
a 1 100  5000000 none
b 1 100  5000000 zstd
c 1 100  5000000 lz4
d 8 1024 1000000 snappy
M
}
label() { echo "$1-$2p-$3B-acksall-$4"; }   # perf.sh's workload name
records() { awk -v n="$1" -v s="$SCALE" 'BEGIN{printf "%d", n*s}'; }   # as perf.sh counts them
raw() { echo "$1,$2,$3,$4,$5" >>"$RAW"; }   # system round workload metric value
per_gib() { awk -v c="$1" -v b="$2" 'BEGIN{ if (c=="NA" || b<=0) print "NA"; else printf "%.4f", c/(b/1073741824) }'; }

# "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, p95 ms 95th, p99 ms 99th, ..."
parse_produce() {  # LOG EXPECTED -> "rps p99" or "NA NA"
  local line; line="$(grep 'records sent' "$1" 2>/dev/null | tail -1 || true)"
  echo "$line" | awk -v want="$2" '
    match($0, /^[0-9]+ records sent, [0-9.]+ records\/sec/) {
      split($0, f, ", "); sent=f[1]+0; rps=f[2]+0
      for (i in f) if (f[i] ~ / ms 99th/) p99=f[i]+0
      if (sent == want) { printf "%s %s\n", rps, p99; ok=1 } }
    END { if (!ok) print "NA NA" }'
}
parse_consume() {  # LOG EXPECTED -> rps or NA (ConsumerPerformance CSV: nMsg is field 5, nMsg.sec field 6)
  grep -q "Exiting before consuming" "$1" 2>/dev/null && { echo NA; return; }
  awk -F', ' -v want="$2" 'NF>=10 && $5 ~ /^[0-9]+$/ {got=$5+0; rps=$6+0}
    END { if (got == want && got > 0) printf "%s\n", rps; else print "NA" }' "$1" 2>/dev/null || echo NA
}

tool() {  # MAIN ARGS... (a Kafka 4.3.1 tool on the kafka-peer classpath)
  local main="$1"; shift
  timeout "$STEP_TIMEOUT" "$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $LOG4J_OPTS -Dbench.log.level=WARN -cp "$CP" "$main" "$@" </dev/null
}
probe() {  # ARGS... (FailoverProbe on the same Kafka 4.3.1 client)
  timeout "$STEP_TIMEOUT" "$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $LOG4J_OPTS -Dbench.log.level=WARN \
    -cp "$PROBE_CP:$CP" dev.tributary.bench.FailoverProbe "$@" </dev/null
}
create_topic() {  # BOOT TOPIC PARTS
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --create --topic "$2" \
    --partitions "$3" --replication-factor 3 --config min.insync.replicas=2
}

# ---------------------------------------------------------------- building
tributary_jar() { ls "$ROOT"/broker/target/tributary-broker-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true; }
probe_class() { local f="$ROOT/bench/target/classes/dev/tributary/bench/FailoverProbe.class"; [[ -f $f ]] && echo "$f" || true; }
stale() {  # FILE DIRS... : missing, or a source newer than it
  [[ -n "$1" && -f "$1" ]] || return 0
  local f="$1"; shift
  [[ -n "$(find "$@" -newer "$f" -type f -print -quit 2>/dev/null)" ]]
}
if [[ $BUILD == always ]] || { [[ $BUILD == auto ]] && { stale "$(tributary_jar)" "$ROOT/pom.xml" "$ROOT"/{core-log,metadata,registry,broker}/src/main "$ROOT"/{core-log,metadata,registry,broker}/pom.xml \
     || stale "$(probe_class)" "$ROOT/bench/src/main" "$ROOT/bench/pom.xml"; }; }; then
  echo "run.sh: building the broker and the bench module (mvn -q -B -DskipTests package -pl broker,bench -am)"
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl broker,bench -am) >"$OUT/build.log" 2>&1 \
    || { tail -40 "$OUT/build.log"; echo "run.sh: build failed" >&2; exit 1; }
fi
[[ -n "$(tributary_jar)" && -n "$(probe_class)" ]] || { echo "run.sh: broker jar or FailoverProbe missing (BUILD=$BUILD)" >&2; exit 1; }
# Run from copies, so that rebuilding while a run is going does not change what is measured.
if [[ -z "${TRIBUTARY_CP:-}" ]]; then
  mkdir -p "$WORK/tributary-cp"; cp "$(tributary_jar)" "$WORK/tributary-cp/"; cp -r "$ROOT/broker/target/lib" "$WORK/tributary-cp/lib"
  TRIBUTARY_CP="$WORK/tributary-cp/$(basename "$(tributary_jar)"):$WORK/tributary-cp/lib/*"
fi
mkdir -p "$WORK/probe-cp/dev/tributary/bench"
cp "$ROOT"/bench/target/classes/dev/tributary/bench/FailoverProbe*.class "$WORK/probe-cp/dev/tributary/bench/"
PROBE_CP="$WORK/probe-cp"

# ---------------------------------------------------------------- clusters
# The running cluster: KIND (kafka|tributary), its data dir, its bootstrap list and its node pids.
CKIND=""; CDIR=""; BOOT=""; declare -a PIDS=()
kafka_boot() { "$KAFKA_PEER/kafka-cluster.sh" bootstrap "$KAFKA_PORT" "$NODES"; }
trib_port() { echo $((TRIBUTARY_PORT + 10 * ($1 - 1))); }
trib_voters() { local v="" i; for i in $(seq 1 "$NODES"); do v+="${v:+,}$i@127.0.0.1:$(( $(trib_port "$i") + 2 ))"; done; echo "$v"; }
trib_boot() { local b="" i; for i in $(seq 1 "$NODES"); do b+="${b:+,}127.0.0.1:$(trib_port "$i")"; done; echo "$b"; }

trib_start_node() {  # I (the launcher contract of bin/tributary broker, as dev-cluster starts a node)
  local i="$1" port; port="$(trib_port "$1")"
  local dir="$CDIR/node-$i" sets=() kv registry=none
  mkdir -p "$dir"
  [[ $TRIBUTARY_REGISTRY == 1 ]] && registry="127.0.0.1:$((port + 1))"
  for kv in $TRIBUTARY_SET; do sets+=(--set "$kv"); done
  if can_connect 127.0.0.1 "$port"; then echo "run.sh: 127.0.0.1:$port is already in use" >&2; return 1; fi
  # shellcheck disable=SC2086
  nohup "$JAVA" $TRIBUTARY_JAVA_OPTS -cp "$TRIBUTARY_CP" "$TRIBUTARY_MAIN" broker \
    --data-dir "$dir/data" --listen "127.0.0.1:$port" --registry-listen "$registry" \
    --set "node.id=$i" --set "controller.quorum.voters=$(trib_voters)" \
    --set default.replication.factor=3 --set min.insync.replicas=2 "${sets[@]}" \
    >>"$dir/tributary.log" 2>&1 </dev/null &
  PIDS[$i]=$!
  disown "$!"   # no "Killed" job notice when the probe kills it; this shell still reaps it
}
trib_await_node() {  # I
  local i="$1" port t; port="$(trib_port "$1")"
  for t in $(seq 1 240); do
    kill -0 "${PIDS[$i]}" 2>/dev/null || { tail -30 "$CDIR/node-$i/tributary.log"; echo "run.sh: Tributary node $i exited during startup" >&2; return 1; }
    can_connect 127.0.0.1 "$port" && { echo "run.sh: Tributary node $i up on 127.0.0.1:$port, pid ${PIDS[$i]}"; return 0; }
    sleep 0.5
  done
  echo "run.sh: Tributary node $i not listening after 120 s" >&2; return 1
}
kafka_start_node() {  # I
  "$KAFKA_PEER/kafka-cluster.sh" start-node "$CDIR" "$KAFKA_PORT" "$1" "$NODES" && PIDS[$1]="$("$KAFKA_PEER/kafka-cluster.sh" pid "$CDIR" "$1")"
}

start_cluster() {  # KIND DIR -> CKIND CDIR BOOT PIDS
  CKIND="$1"; CDIR="$2"; mkdir -p "$CDIR"; PIDS=()
  local i try
  if [[ $CKIND == kafka ]]; then
    BOOT="$(kafka_boot)"
    for try in 1 2; do   # one retry on a fresh dir: a loaded machine occasionally makes a node give up at start
      if "$KAFKA_PEER/kafka-cluster.sh" start "$CDIR" "$KAFKA_PORT" "$NODES"; then break; fi
      "$KAFKA_PEER/kafka-cluster.sh" stop "$CDIR" || true
      [[ $try == 2 ]] && { CKIND=""; return 1; }
      rm -rf "$CDIR"; mkdir -p "$CDIR"; sleep 5
    done
    for i in $(seq 1 "$NODES"); do PIDS[$i]="$("$KAFKA_PEER/kafka-cluster.sh" pid "$CDIR" "$i")"; done
  else
    BOOT="$(trib_boot)"
    for i in $(seq 1 "$NODES"); do trib_start_node "$i" || { stop_cluster; return 1; }; done
    for i in $(seq 1 "$NODES"); do trib_await_node "$i" || { stop_cluster; return 1; }; done
  fi
  probe await-cluster "$BOOT" "$NODES" 180 || { stop_cluster; return 1; }
  echo "run.sh: $CKIND cluster up, bootstrap $BOOT, pids ${PIDS[*]}"
}
stop_cluster() {
  [[ -n "$CKIND" ]] || return 0
  local i
  if [[ $CKIND == kafka ]]; then
    "$KAFKA_PEER/kafka-cluster.sh" stop "$CDIR" || true
  else
    # every node at once: stopped one by one, the last ones would wait for a quorum that is gone
    for i in "${!PIDS[@]}"; do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
    for i in "${!PIDS[@]}"; do
      local t; for t in $(seq 1 120); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.5; done
      kill -0 "${PIDS[$i]}" 2>/dev/null && { echo "run.sh: Tributary node $i alive 60 s after SIGTERM, SIGKILL" >&2; kill -KILL "${PIDS[$i]}" 2>/dev/null || true; }
    done
  fi
  CKIND=""; PIDS=()
  rm -rf "$CDIR"   # GiBs at SCALE=1; the session's output keeps the node logs (save_logs)
}
save_logs() {  # OUT_SUBDIR: node logs of the current cluster next to the session's tool output
  local i f
  for i in $(seq 1 "$NODES"); do
    for f in "$CDIR/node-$i"/*.log; do [[ -f $f ]] && cp "$f" "$1/node-$i-$(basename "$f")"; done
  done
  return 0
}
cpu_all() {  # user+system CPU seconds of every node process, summed; NA once a node is gone
  local i s=0 c
  for i in "${!PIDS[@]}"; do
    c=$(sed 's/.*) //' "/proc/${PIDS[$i]}/stat" 2>/dev/null | awk '{print $12+$13}') || c=""
    [[ -n "$c" ]] || { echo NA; return; }
    s=$((s + c))
  done
  awk -v s="$s" -v t="$CLK_TCK" 'BEGIN{printf "%.2f", s/t}'
}
cleanup() { stop_cluster; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- sessions
# Full load: fresh cluster; perf.sh (RF=3 MIN_ISR=2 ACKS=all); each line perf.sh prints gets the nodes' summed
# CPU at that moment, so a workload's produce CPU is the change up to its produce RESULT line (topic creation
# plus produce), its consume CPU the change up to its consume RESULT line.
full_session() {  # KIND ROUND
  local kind="$1" r="$2" out="$OUT/$1-r$2-full"
  mkdir -p "$out"
  echo; echo "=== round $r: $kind cluster, full load  ($(date -u +%H:%M:%S))"
  start_cluster "$kind" "$WORK/$kind-r$r-full" || { echo "run.sh: $kind cluster did not start; round $r skipped for it"; return 0; }
  sleep 3
  local line
  WORKLOADS="$WORKLOADS" SCALE="$SCALE" RUN_ID="cb-$STAMP-$kind-r$r" OUT_DIR="$out/perf" RF=3 MIN_ISR=2 ACKS=all \
    STEP_TIMEOUT="$STEP_TIMEOUT" "$KAFKA_PEER/perf.sh" "$BOOT" 2>&1 \
    | while IFS= read -r line; do printf '%s cluster_cpu_s=%s\n' "$line" "$(cpu_all)"; done >"$out/perf.out" || true
  awk '/^perf: summary/ { exit } /^RESULT|^perf:/' "$out/perf.out" | sed 's/ cluster_cpu_s=.*//' || true
  local i; for i in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$i]}" 2>/dev/null || echo "run.sh: $kind node $i (pid ${PIDS[$i]}) died during the session; see $out/node-$i-*.log"
  done
  declare -A cpu_p=() cpu_c=()
  local key step d
  while read -r key step d; do
    if [[ $step == produce ]]; then cpu_p[$key]="$d"; else cpu_c[$key]="$d"; fi
  done < <(awk '/^perf: summary/ { exit }   # perf.sh repeats its RESULT lines after this
                { c = $0; sub(/.* cluster_cpu_s=/, "", c) }
                /^perf: bootstrap=/ { prev = c }
                /^RESULT / { if (c == "NA" || prev == "NA") d = "NA"; else d = sprintf("%.2f", c - prev)
                             printf "%s %s %s\n", substr($2, 1, 1), $3, d; prev = c }' "$out/perf.out")

  local id parts size n comp wl rps p99 crps bytes cp cc
  while read -r id parts size n comp; do
    [[ " $WORKLOADS " == *" $id "* ]] || continue
    n=$(records "$n"); wl=$(label "$id" "$parts" "$size" "$comp")
    read -r rps p99 < <(parse_produce "$out/perf/$id.produce.log" "$n")
    crps=$(parse_consume "$out/perf/$id.consume.log" "$n")
    bytes=$(awk -v n="$n" -v s="$size" 'BEGIN{printf "%.0f", n*s}')
    cp="${cpu_p[$id]:-NA}"; cc="${cpu_c[$id]:-NA}"   # NA too when a node died
    [[ $rps == NA ]] && cp=NA
    [[ $crps == NA ]] && cc=NA
    raw "$kind" "$r" "$wl" produce_rps "$rps"
    raw "$kind" "$r" "$wl" produce_p99_ms "$p99"
    raw "$kind" "$r" "$wl" consume_rps "$crps"
    raw "$kind" "$r" "$wl" cpu_produce_s_per_gib "$(per_gib "$cp" "$bytes")"
    if [[ $cp == NA || $cc == NA ]]; then raw "$kind" "$r" "$wl" cpu_s_per_gib NA
    else raw "$kind" "$r" "$wl" cpu_s_per_gib "$(per_gib "$(awk -v a="$cp" -v b="$cc" 'BEGIN{print a+b}')" $((bytes * 2)))"; fi
    printf 'run.sh: %-9s r%s %-26s produce %10s rec/s p99 %6s ms | consume %10s rec/s | cluster cpu %6ss + %6ss\n' \
      "$kind" "$r" "$wl" "$rps" "$p99" "$crps" "$cp" "$cc"
  done < <(matrix)
  save_logs "$out"
  stop_cluster
}

# Half load, then failover, on one fresh cluster. Half load: each workload produced (acks=all, perf.sh's client
# settings) at half of Kafka's full-load rec/s of the same round, for HALF_SECONDS at most.
half_and_failover_session() {  # KIND ROUND KILLS
  local kind="$1" r="$2" kills="$3" out="$OUT/$1-r$2-half"
  mkdir -p "$out"
  echo; echo "=== round $r: $kind cluster, 50% of Kafka's full-load rate, then $kills leader kills  ($(date -u +%H:%M:%S))"
  start_cluster "$kind" "$WORK/$kind-r$r-half" || { echo "run.sh: $kind cluster did not start; round $r skipped for it"; return 0; }
  local id parts size n comp wl krps rate topic rps p99
  while read -r id parts size n comp; do
    [[ " $WORKLOADS " == *" $id "* ]] || continue
    n=$(records "$n"); wl=$(label "$id" "$parts" "$size" "$comp")
    krps=$(awk -F, -v r="$r" -v w="$wl" '$1=="kafka" && $2==r && $3==w && $4=="produce_rps" {print $5}' "$RAW" | tail -1)
    if [[ -z "$krps" || "$krps" == NA ]]; then
      echo "run.sh: no Kafka full-load rate for $wl in round $r; 50% run skipped"
      raw "$kind" "$r" "$wl" half_p99_ms NA; continue
    fi
    rate=$(awk -v k="$krps" 'BEGIN{x=int(k/2); if (x<1) x=1; print x}')
    n=$(awk -v rate="$rate" -v s="$HALF_SECONDS" -v n="$n" 'BEGIN{x=int(rate*s); if (x>n) x=n; if (x<10) x=10; print x}')
    topic="cb-$STAMP-$kind-r$r-half-$id"
    create_topic "$BOOT" "$topic" "$parts" >"$out/$id.create.log" 2>&1 || cat "$out/$id.create.log"
    tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic "$topic" \
      --num-records "$n" --record-size "$size" --throughput "$rate" \
      --command-property acks=all batch.size=262144 linger.ms=5 compression.type="$comp" >"$out/$id.produce.log" 2>&1 || true
    read -r rps p99 < <(parse_produce "$out/$id.produce.log" "$n")
    raw "$kind" "$r" "$wl" half_p99_ms "$p99"
    printf 'run.sh: %-9s r%s %-26s at %9s rec/s (%s records): p99 %6s ms\n' "$kind" "$r" "$wl" "$rate" "$n" "$p99"
  done < <(matrix)

  # Failover: a 1-partition RF 3 topic; per kill FailoverProbe waits for the full ISR, writes to it, SIGKILLs the
  # partition's leader and times the first acknowledged write on its successor; then the node is restarted.
  topic="cb-$STAMP-$kind-r$r-failover"
  local k res ms killed pidlist i
  if ! create_topic "$BOOT" "$topic" 1 >"$out/failover.create.log" 2>&1; then
    cat "$out/failover.create.log"; echo "run.sh: $kind r$r: no failover topic; kills skipped"; kills=0
  fi
  for k in $(seq 1 "$kills"); do
    for i in "${!PIDS[@]}"; do
      kill -0 "${PIDS[$i]}" 2>/dev/null || echo "run.sh: $kind node $i (pid ${PIDS[$i]}) is not running before kill $k"
    done
    pidlist=""; for i in "${!PIDS[@]}"; do pidlist+="${pidlist:+,}$i=${PIDS[$i]}"; done
    res="$(probe failover "$BOOT" "$topic" "$pidlist" "$FAILOVER_TIMEOUT" 2>"$out/failover-$k.err" | grep '^FAILOVER' | tail -1 || true)"
    [[ -n "$res" ]] || res="FAILOVER ms=NA reason=probe-failed (see $out/failover-$k.err)"
    echo "run.sh: $kind r$r kill $k/$kills: $res"
    killed=$(echo "$res" | sed -n 's/.* killed=\([0-9]*\).*/\1/p')
    if [[ -z "$killed" ]]; then   # no kill happened (e.g. the ISR never filled up): the next kills would not either
      raw "$kind" "$r" "kill-$k" failover_not_run 1
      echo "run.sh: $kind r$r: failover probe did not kill; remaining kills skipped"; break
    fi
    ms=$(echo "$res" | sed -n 's/^FAILOVER ms=\([0-9.NA]*\) .*/\1/p'); raw "$kind" "$r" "kill-$k" failover_ms "${ms:-NA}"
    # keep the killed node's log: Kafka's start-node truncates it
    for f in "$CDIR/node-$killed"/*.log; do [[ -f $f ]] && cp "$f" "$out/node-$killed-kill-$k-$(basename "$f")"; done
    if [[ $kind == kafka ]]; then kafka_start_node "$killed" || { echo "run.sh: Kafka node $killed did not restart"; break; }
    else { trib_start_node "$killed" && trib_await_node "$killed"; } || { echo "run.sh: Tributary node $killed did not restart"; break; }; fi
    probe await-cluster "$BOOT" "$NODES" 180 >/dev/null || { echo "run.sh: $kind cluster incomplete after restarting node $killed"; break; }
  done
  save_logs "$out"
  stop_cluster
}

# ---------------------------------------------------------------- summary
# Per metric: per round the geometric mean over workloads of Tributary/Kafka, then the median over rounds (the
# side-by-side headline); the two systems' own figures the same way. Failover: median and maximum over every
# kill of the run; a kill that timed out counts as FAILOVER_TIMEOUT s in the maximum.
summarize() {
  awk -F, -v timeout_ms="$((FAILOVER_TIMEOUT * 1000))" '
    function sortv(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t } }
    function median(a, n) { if (n == 0) return "NA"; sortv(a, n); return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
    function num(x) { return x != "NA" && x != "" && x + 0 > 0 }
    function fmt(x) { return x == "NA" ? "NA" : (x >= 100 ? sprintf("%.0f", x) : sprintf("%.3g", x)) }
    function verdict(ratio, op, target) {
      if (ratio == "NA") return "no data"
      return ((op == ">=" && ratio >= target) || (op == "<=" && ratio <= target)) ? "met" : "missed" }
    NR == 1 { next }
    $4 == "failover_not_run" { notrun[$1]++; next }
    $4 == "failover_ms" {
      nk[$1]++
      if (num($5)) { fo[$1, ++nfo[$1]] = $5 + 0; if ($5 + 0 > fmax[$1]) fmax[$1] = $5 + 0 }
      else { nfail[$1]++; fmax[$1] = timeout_ms > fmax[$1] ? timeout_ms : fmax[$1] }
      next }
    { v[$1, $2, $3, $4] = $5; rounds[$2] = 1; wls[$3] = 1 }
    END {
      nm = split("produce_rps:produce rec/s:>=:1.3|half_p99_ms:p99 produce ms at half load:<=:0.7|cpu_s_per_gib:cluster CPU-s/GiB (produce+consume):<=:0.5|cpu_produce_s_per_gib:cluster CPU-s/GiB (produce only):<=:|consume_rps:consume rec/s:>=:|produce_p99_ms:p99 produce ms at full load:<=:", ms, "|")
      for (m = 1; m <= nm; m++) {
        split(ms[m], f, ":"); met = f[1]
        nr = 0; delete rr; delete rk; delete rt
        for (r in rounds) {
          lr = 0; lk = 0; lt = 0; c = 0
          for (w in wls) {
            k = v["kafka", r, w, met]; t = v["tributary", r, w, met]
            if (!num(k) || !num(t)) continue
            lr += log(t / k); lk += log(k); lt += log(t); c++
            printf "DETAIL %-30s %-24s round %s  kafka %10s  tributary %10s  ratio %.3f\n", met, w, r, fmt(k + 0), fmt(t + 0), t / k > "/dev/stderr"
          }
          if (c > 0) { nr++; rr[nr] = exp(lr / c); rk[nr] = exp(lk / c); rt[nr] = exp(lt / c) }
        }
        ratio = median(rr, nr); kv = median(rk, nr); tv = median(rt, nr)
        tgt = f[4] == "" ? "" : sprintf("  (target %s %s: %s)", f[3], f[4], verdict(ratio, f[3], f[4]))
        printf "SUMMARY %-38s Tributary %10s  Kafka %10s  ratio %s%s\n", f[2], fmt(tv), fmt(kv), ratio == "NA" ? "NA" : sprintf("%.2f", ratio), tgt
      }
      for (s = 1; s <= 2; s++) { sys = s == 1 ? "kafka" : "tributary"
        n = nfo[sys] + 0; delete a; for (i = 1; i <= n; i++) a[i] = fo[sys, i]
        med[sys] = median(a, n); mx[sys] = (nk[sys] + 0) ? fmax[sys] : "NA"; kl[sys] = nk[sys] + 0; fl[sys] = nfail[sys] + 0 }
      kills = sprintf("(kills: Tributary %d, %d failed, %d not run; Kafka %d, %d failed, %d not run)", kl["tributary"], fl["tributary"], notrun["tributary"], kl["kafka"], fl["kafka"], notrun["kafka"])
      rm = (num(med["kafka"]) && num(med["tributary"])) ? med["tributary"] / med["kafka"] : "NA"
      rx = (num(mx["kafka"]) && num(mx["tributary"])) ? mx["tributary"] / mx["kafka"] : "NA"
      printf "SUMMARY %-38s Tributary %10s  Kafka %10s  ratio %s  (target <= 1: %s) %s\n", "failover median ms", fmt(med["tributary"]), fmt(med["kafka"]), rm == "NA" ? "NA" : sprintf("%.2f", rm), verdict(rm, "<=", 1), kills
      printf "SUMMARY %-38s Tributary %10s  Kafka %10s  ratio %s  (target <= 1: %s)\n", "failover max ms", fmt(mx["tributary"]), fmt(mx["kafka"]), rx == "NA" ? "NA" : sprintf("%.2f", rx), verdict(rx, "<=", 1)
    }' "$RAW"
}

echo "run.sh: 3-node Tributary vs 3-node Kafka 4.3.1  rounds=$ROUNDS scale=$SCALE workloads='$WORKLOADS' kills=$KILLS out=$OUT"
echo "run.sh: machine $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "system,round,workload,metric,value" >"$RAW"
START=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then order="kafka tributary"; else order="tributary kafka"; fi
  # KILLS spread over the rounds: round r gets its share of what is left
  done_kills=$(( (r - 1) * KILLS / ROUNDS )); kills=$(( r * KILLS / ROUNDS - done_kills ))
  for kind in $order; do full_session "$kind" "$r"; done
  for kind in $order; do half_and_failover_session "$kind" "$r" "$kills"; done
done
echo; echo "run.sh: measured in $(( ($(date +%s) - START) / 60 )) min; load now $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "# bench/cluster/run.sh $STAMP rounds=$ROUNDS scale=$SCALE workloads='$WORKLOADS' kills=$KILLS git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  summarize 2>"$OUT/detail.txt"
  echo
  sort -k2,2 -k3,3 -k5,5n "$OUT/detail.txt"
} >"$OUT/summary.txt"
grep '^SUMMARY' "$OUT/summary.txt"
[[ -z "${OUT_DIR:-}" ]] && ln -sfn "$OUT" "$HERE/results/latest" 2>/dev/null || true
echo "run.sh: raw $RAW; summary $OUT/summary.txt"
