#!/usr/bin/env bash
# Flink read benchmark: TributarySource against Tributary vs flink-connector-kafka 5.0.0-2.2 (KafkaSource)
# against Apache Kafka 4.3.1, in the same run, on pre-produced topics of N records of SIZE bytes, raw and
# Avro (Confluent framing, Tributary's registry for both). Reports records/s of each and the ratio
# tributary/kafka per format (target: >= 1.3).
#
# Usage: bench/flink/read-bench.sh
# Env:   N=10000000 SIZE=100 PARALLELISM=2 PARTITIONS=4 FORMATS="raw avro" KAFKA_PORT=29192
#        ROUNDS=3 (reads per side and format; the order alternates each round; the ratio is the median
#        over rounds of tributary/kafka in that round)  SETTLE=20 (seconds to wait after producing, once
#        dirty pages are synced, so neither side's read pays for the other's produce)
#        CONSUMER_PROPS=k=v,k=v (extra consumer settings, given to both sources alike)
#        KAFKA_PEER=/work/shared/bench/kafka-peer  BROKER_HEAP="-Xms2g -Xmx2g" (as Kafka's)  FLINK_HEAP=-Xmx2g
# Output: one RESULT line per read, a summary table, the median ratio per format, and
#         results/<run>/summary.tsv + ratio.txt under bench/flink/.
# The box is shared: compare figures from one run only, and look at load1 (printed) before trusting them.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${N:-10000000}"; SIZE="${SIZE:-100}"; PARALLELISM="${PARALLELISM:-2}"; PARTITIONS="${PARTITIONS:-4}"
FORMATS="${FORMATS:-raw avro}"; KAFKA_PORT="${KAFKA_PORT:-29192}"
ROUNDS="${ROUNDS:-3}"; SETTLE="${SETTLE:-20}"; CONSUMER_PROPS="${CONSUMER_PROPS:-}"
KAFKA_PEER="${KAFKA_PEER:-/work/shared/bench/kafka-peer}"
BROKER_HEAP="${BROKER_HEAP:--Xms2g -Xmx2g}"; FLINK_HEAP="${FLINK_HEAP:--Xmx2g}"
RUN="$(date +%Y%m%d-%H%M%S)"; OUT="$HERE/results/$RUN"; WORK="/tmp/tributary-read-bench-$RUN"
mkdir -p "$OUT" "$WORK"

echo "read-bench: building examples/flink (tests skipped)..." >&2
(cd "$ROOT" && mvn -B -q -pl examples/flink -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
CP="$ROOT/examples/flink/target/classes:$(cat "$ROOT/examples/flink/target/classpath.txt")"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
run_java() {
  java $FLINK_HEAP $OPENS -Dreadbench.consumer.props="$CONSUMER_PROPS" -cp "$CP" dev.tributary.examples.flink.bench.ReadBench "$@"
}

KAFKA_DIR="$WORK/kafka"; TRIB_DIR="$WORK/tributary"; TRIB_PID=""
cleanup() {
  [[ -n "$TRIB_PID" ]] && kill "$TRIB_PID" 2>/dev/null && wait "$TRIB_PID" 2>/dev/null || true
  "$KAFKA_PEER/stop-kafka.sh" "$KAFKA_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

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

printf "format\tround\tconnector\tbroker\trecords\tseconds\trec_per_s\tload1_before\n" >"$OUT/summary.tsv"
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
      load="$(cut -d' ' -f1 /proc/loadavg)"
      res="$(run_java read "$1" "$2" "$topic" "$N" "$PARALLELISM" "$fmt" "$REGISTRY" 2>"$OUT/read-$fmt-$1-$round.log" | grep '^RESULT')" \
        || { echo "read-bench: $1 read of $topic failed, see $OUT/read-$fmt-$1-$round.log" >&2; exit 1; }
      echo "$res round=$round load1_before=$load"
      secs="$(sed -E 's/.*seconds=([^ ]+).*/\1/' <<<"$res")"; rps="$(sed -E 's/.*rec_per_s=([^ ]+).*/\1/' <<<"$res")"
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$fmt" "$round" "$1" "$3" "$N" "$secs" "$rps" "$load" >>"$OUT/summary.tsv"
    done
  done
done

echo
column -t "$OUT/summary.tsv"
echo
# per format: the ratio of each round, then their median
awk -F'\t' 'NR>1 { r[$1 FS $2 FS $3] = $7; f[$1] = 1; if ($2 > n) n = $2 }
  END { for (x in f) { m = 0; list = "";
          for (i = 1; i <= n; i++) { k = r[x FS i FS "kafka"]; q[++m] = (k > 0 ? r[x FS i FS "tributary"] / k : 0);
                                     list = list sprintf(" %.2f", q[m]) }
          for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (q[j] < q[i]) { t = q[i]; q[i] = q[j]; q[j] = t }
          med = (m % 2 ? q[(m + 1) / 2] : (q[m / 2] + q[m / 2 + 1]) / 2);
          printf "ratio format=%s tributary/kafka median=%.2f rounds:%s (target >= 1.3)\n", x, med, list } }' \
  "$OUT/summary.tsv" | tee "$OUT/ratio.txt"
echo "read-bench: results in $OUT" >&2
