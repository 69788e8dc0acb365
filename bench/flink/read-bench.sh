#!/usr/bin/env bash
# Flink read benchmark: TributarySource against Tributary vs flink-connector-kafka 5.0.0-2.2 (KafkaSource)
# against Apache Kafka 4.3.1, in the same run, on pre-produced topics of N records of SIZE bytes, raw and
# Avro (Confluent framing, Tributary's registry for both). Reports records/s of each and the ratio
# tributary/kafka per format (target: >= 1.3).
#
# Usage: bench/flink/read-bench.sh
# Env:   N=10000000 SIZE=100 PARALLELISM=2 PARTITIONS=4 FORMATS="raw avro" KAFKA_PORT=29192
#        ROUNDS=3 (JVMs per side and format; the order alternates each round)
#        PASSES=5 (jobs per JVM, one after the other, each a full read of the topic (see CLUSTER):
#          pass 1 is the cold JVM, in which the JIT compilers take ~40% of the CPU; passes 2.. run warm, as
#          jobs do on a long-running TaskManager)
#        WARM_FROM=2 (the first pass counted as warm; e.g. WARM_FROM=6 with PASSES=10 for a steadier state)
#        CLUSTER=per-job (a new MiniCluster per pass) or shared (one MiniCluster per JVM, every pass a job on it,
#          as on a session cluster: no per-pass cluster start, whose RPC classes are reloaded and recompiled)
#        SETTLE=20 (seconds to wait after producing, once dirty pages are synced, so neither side's read
#          pays for the other's produce)
#        CONSUMER_PROPS=k=v,k=v (extra consumer settings for both sources)
#        KAFKA_CONSUMER_PROPS=k=v,k=v (extra settings for KafkaSource only, e.g. TributarySource's defaults)
#        KAFKA_PEER=../shared/bench/kafka-peer (beside the checkout)  BROKER_HEAP="-Xms2g -Xmx2g" (as Kafka's)
#        FLINK_HEAP="-Xms2g -Xmx2g" (fixed, as a TaskManager's)
# Output: one RESULT line per job; per format the ratio tributary/kafka of the read rate (first to last
#         record) on warm passes, which is the headline, and for reference the same on cold passes and of
#         whole-job rates; results/<run>/summary.tsv + ratio.txt under bench/flink/.
# Per round and side, "warm" is the median over passes WARM_FROM..PASSES; the ratio printed is the median over
# rounds. The box is shared: compare figures from one run only, and look at load1 (printed) first.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${N:-10000000}"; SIZE="${SIZE:-100}"; PARALLELISM="${PARALLELISM:-2}"; PARTITIONS="${PARTITIONS:-4}"
FORMATS="${FORMATS:-raw avro}"; KAFKA_PORT="${KAFKA_PORT:-29192}"
ROUNDS="${ROUNDS:-3}"; PASSES="${PASSES:-5}"; WARM_FROM="${WARM_FROM:-2}"; SETTLE="${SETTLE:-20}"; CLUSTER="${CLUSTER:-per-job}"
CONSUMER_PROPS="${CONSUMER_PROPS:-}"; KAFKA_CONSUMER_PROPS="${KAFKA_CONSUMER_PROPS:-}"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/start-kafka.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
BROKER_HEAP="${BROKER_HEAP:--Xms2g -Xmx2g}"; FLINK_HEAP="${FLINK_HEAP:--Xms2g -Xmx2g}"
RUN="$(date +%Y%m%d-%H%M%S)"; OUT="$HERE/results/$RUN"; WORK="/tmp/tributary-read-bench-$RUN"
mkdir -p "$OUT" "$WORK"

echo "read-bench: building examples/flink (tests skipped)..." >&2
(cd "$ROOT" && mvn -B -q -pl examples/flink -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
CP="$ROOT/examples/flink/target/classes:$(cat "$ROOT/examples/flink/target/classpath.txt")"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
run_java() { # PROPS: consumer settings for a read
  java $FLINK_HEAP $OPENS -Dreadbench.consumer.props="${PROPS:-}" -Dreadbench.cluster="$CLUSTER" -cp "$CP" dev.tributary.examples.flink.bench.ReadBench "$@"
}

KAFKA_DIR="$WORK/kafka"; TRIB_DIR="$WORK/tributary"; TRIB_PID=""
cleanup() {
  [[ -n "$TRIB_PID" ]] && kill "$TRIB_PID" 2>/dev/null && wait "$TRIB_PID" 2>/dev/null || true
  "$KAFKA_PEER/stop-kafka.sh" "$KAFKA_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
"$KAFKA_PEER/start-kafka.sh" "$KAFKA_DIR" "$KAFKA_PORT" >&2
KAFKA_BOOT="127.0.0.1:$KAFKA_PORT"

# Tributary in its own JVM; a FIFO held open keeps it running until cleanup.
mkfifo "$WORK/tributary.in"
java $BROKER_HEAP -cp "$CP" dev.tributary.examples.flink.bench.BenchBroker "$TRIB_DIR" \
  <"$WORK/tributary.in" >"$WORK/tributary.out" 2>"$OUT/tributary-broker.log" &
TRIB_PID=$!
exec 9>"$WORK/tributary.in"
for _ in $(seq 1 120); do grep -q BOOTSTRAP= "$WORK/tributary.out" 2>/dev/null && break; sleep 0.5; done
line="$(grep BOOTSTRAP= "$WORK/tributary.out")" || { echo "read-bench: Tributary did not start" >&2; exit 1; }
TRIB_BOOT="$(sed -E 's/.*BOOTSTRAP=([^ ]+).*/\1/' <<<"$line")"
REGISTRY="$(sed -E 's/.*REGISTRY=([^ ]+).*/\1/' <<<"$line")"
echo "read-bench: Tributary $TRIB_BOOT (registry $REGISTRY), Apache Kafka $KAFKA_BOOT; N=$N SIZE=$SIZE PARALLELISM=$PARALLELISM" >&2

printf "format\tround\tconnector\tbroker\tpass\trecords\tjob_s\tjob_rec_per_s\tread_s\tread_rec_per_s\tload1_before\n" >"$OUT/summary.tsv"
field() { sed -E "s/.* $1=([^ ]+).*/\\1/" <<<"$2"; }
for fmt in $FORMATS; do
  topic="readbench-$fmt-$RUN"
  run_java produce "$TRIB_BOOT" "$topic" "$N" "$SIZE" "$fmt" "$REGISTRY" "$PARTITIONS" | tee -a "$OUT/produce.log"
  run_java produce "$KAFKA_BOOT" "$topic" "$N" "$SIZE" "$fmt" "$REGISTRY" "$PARTITIONS" | tee -a "$OUT/produce.log"
  sync; sleep "$SETTLE"
  for round in $(seq 1 "$ROUNDS"); do
    sides=("tributary $TRIB_BOOT tributary" "kafka $KAFKA_BOOT apache-kafka")
    (( round % 2 == 0 )) && sides=("${sides[1]}" "${sides[0]}")
    for side in "${sides[@]}"; do
      set -- $side
      props="$CONSUMER_PROPS"
      [[ $1 == kafka && -n "$KAFKA_CONSUMER_PROPS" ]] && props="${props:+$props,}$KAFKA_CONSUMER_PROPS"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      res="$(PROPS="$props" run_java read "$1" "$2" "$topic" "$N" "$PARALLELISM" "$fmt" "$REGISTRY" "$PASSES" \
              2>"$OUT/read-$fmt-$1-$round.log" | grep '^RESULT')" \
        || { echo "read-bench: $1 read of $topic failed, see $OUT/read-$fmt-$1-$round.log" >&2; exit 1; }
      while read -r line; do
        echo "$line round=$round load1_before=$load"
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$fmt" "$round" "$1" "$3" "$(field pass "$line")" \
          "$(field records "$line")" "$(field job_s "$line")" "$(field job_rec_per_s "$line")" \
          "$(field read_s "$line")" "$(field read_rec_per_s "$line")" "$load" >>"$OUT/summary.tsv"
      done <<<"$res"
    done
  done
done

echo
column -t "$OUT/summary.tsv"
echo
# Per format and metric: per round, each side's figure (pass 1 for "cold", the median of passes WARM_FROM.. for
# "warm"), the ratio tributary/kafka of that round, then the median of those ratios.
awk -F'\t' -v passes="$PASSES" -v warm_from="$WARM_FROM" '
  function median(a, m,   i, j, t) {
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  function side(fmt, rnd, conn, col, warm,   p, m, v) {
    if (!warm) return x[fmt, rnd, conn, 1, col]
    m = 0; for (p = warm_from; p <= passes; p++) if ((fmt, rnd, conn, p, col) in x) v[++m] = x[fmt, rnd, conn, p, col]
    return m ? median(v, m) : 0 }
  function report(fmt, label, col, warm, target,   r, m, q, list, t, k) {
    m = 0; list = ""
    for (r = 1; r <= rounds; r++) {
      t = side(fmt, r, "tributary", col, warm); k = side(fmt, r, "kafka", col, warm)
      q[++m] = k > 0 ? t / k : 0; list = list sprintf(" %.2f", q[m]) }
    printf "ratio format=%s %s tributary/kafka median=%.2f rounds:%s%s\n", fmt, label, median(q, m), list, target }
  NR > 1 { x[$1, $2, $3, $5, "read"] = $10; x[$1, $2, $3, $5, "job"] = $8; f[$1] = 1; if ($2 > rounds) rounds = $2 }
  END { warm = passes >= warm_from && warm_from >= 2
        for (fmt in f) {
          if (warm) {
            report(fmt, "read-rate-warm", "read", 1, " (headline; target >= 1.3)")
            report(fmt, "job-rate-warm ", "job", 1, "")
          }
          report(fmt, "read-rate-cold", "read", 0, warm ? "" : " (target >= 1.3)")
          report(fmt, "job-rate-cold ", "job", 0, "") } }' "$OUT/summary.tsv" | tee "$OUT/ratio.txt"
echo "read-bench: results in $OUT" >&2
