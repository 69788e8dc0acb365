#!/usr/bin/env bash
# Spark batch read benchmark: the `tributary` format against a Tributary broker, and spark-sql-kafka 4.1.1
# against Apache Kafka 4.3.1, in the same run, on the same pre-produced data (N records of 100 B, lz4,
# PARTITIONS partitions, produced with Kafka's ProducerPerformance). Reports rows/s of both and the ratio.
#
#   bench/spark/run.sh                  # N=10000000
#   N=200000 bench/spark/run.sh         # smoke run
#
# Env: N, PARTITIONS (4), TRIB_PORT (39180), KAFKA_PORT (39182; its controller uses +1), WORK
# (/tmp/tributary-spark-bench), KAFKA_PEER (../shared/bench/kafka-peer beside the checkout: Kafka jars + start/stop scripts),
# SPARK_HEAP (-Xmx4g), KEEP=1 keeps WORK, CROSS=1 also runs the tributary format against Apache Kafka.
# Output: one RESULT line per scan, then a summary; everything under $WORK/results.txt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${N:-10000000}"
PARTITIONS="${PARTITIONS:-4}"
TRIB_PORT="${TRIB_PORT:-39180}"
KAFKA_PORT="${KAFKA_PORT:-39182}"
WORK="${WORK:-/tmp/tributary-spark-bench}"
KAFKA_PEER="${KAFKA_PEER:-$ROOT/../shared/bench/kafka-peer}"   # the harness lives beside the checkout
[[ -x "$KAFKA_PEER/start-kafka.sh" ]] || { echo "$(basename "$0"): no kafka-peer harness at $KAFKA_PEER; set KAFKA_PEER=DIR" >&2; exit 1; }
KAFKA_PEER="$(cd "$KAFKA_PEER" && pwd)"
SPARK_HEAP="${SPARK_HEAP:--Xmx4g}"
TOPIC="spark-read-bench"

rm -rf "$WORK"; mkdir -p "$WORK"
RESULTS="$WORK/results.txt"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$RESULTS" >&2; }

TRIB_PID=""
cleanup() {
  [[ -n "$TRIB_PID" ]] && kill "$TRIB_PID" 2>/dev/null && wait "$TRIB_PID" 2>/dev/null || true
  "$KAFKA_PEER/stop-kafka.sh" "$WORK/kafka" >/dev/null 2>&1 || true
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK/tributary" "$WORK/kafka"; fi
}
trap cleanup EXIT

log "building the tributary connector's and spark-sql-kafka's class paths"
(cd "$ROOT" && mvn -B -q -pl examples/spark -am package -DskipTests)
TRIB_CP="$ROOT/examples/spark/target/classes:$(cat "$ROOT/examples/spark/target/classpath.txt")"
mvn -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/kafka-cp.txt" >/dev/null
KAFKA_CP="$(cat "$WORK/kafka-cp.txt")"
"$KAFKA_PEER/setup.sh" >&2   # fetches Kafka 4.3.1 from Maven Central on a new machine; a no-op after
TOOLS_CP="$KAFKA_PEER/lib/*"

wait_port() {
  for _ in $(seq 1 120); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

log "starting Tributary on 127.0.0.1:$TRIB_PORT and Apache Kafka on 127.0.0.1:$KAFKA_PORT"
"$ROOT/bin/tributary" broker --listen "127.0.0.1:$TRIB_PORT" --data-dir "$WORK/tributary" --registry-listen none \
  >"$WORK/tributary.log" 2>&1 &
TRIB_PID=$!
wait_port "$TRIB_PORT"
"$KAFKA_PEER/start-kafka.sh" "$WORK/kafka" "$KAFKA_PORT" >>"$RESULTS" 2>&1

tool() { java -Xmx1g -cp "$TOOLS_CP" -Dlog4j2.configurationFile="$KAFKA_PEER/log4j2.properties" -Dbench.log.level=WARN "$@"; }

for boot in "127.0.0.1:$TRIB_PORT" "127.0.0.1:$KAFKA_PORT"; do
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$boot" --create --topic "$TOPIC" \
    --partitions "$PARTITIONS" --replication-factor 1 >>"$WORK/setup.log" 2>&1
  log "pre-producing $N x 100 B to $boot"
  tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$boot" --topic "$TOPIC" \
    --num-records "$N" --record-size 100 --throughput -1 \
    --command-property acks=1 batch.size=262144 linger.ms=5 compression.type=lz4 enable.idempotence=false \
    2>&1 | grep "records sent" | tail -1 | tee -a "$RESULTS" >&2
done

SPARK_FLAGS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
 --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
 -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true --enable-native-access=ALL-UNNAMED"

# read FORMAT BOOTSTRAP CLASSPATH LABEL
read_bench() {
  log "spark read: format $1 against $4 (load1 $(cut -d' ' -f1 /proc/loadavg))"
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $SPARK_HEAP $SPARK_FLAGS -cp "$3" "$HERE/SparkReadBench.java" "$1" "$2" "$TOPIC" "$N" \
    2>"$WORK/$1-$4.err" | grep RESULT | sed "s/^RESULT /RESULT broker=$4 /" | tee -a "$RESULTS" >&2 \
    || { tail -20 "$WORK/$1-$4.err" >&2; exit 1; }
}
read_bench tributary "127.0.0.1:$TRIB_PORT" "$TRIB_CP" tributary
read_bench kafka "127.0.0.1:$KAFKA_PORT" "$KAFKA_CP" kafka
if [[ "${CROSS:-0}" == 1 ]]; then
  read_bench tributary "127.0.0.1:$KAFKA_PORT" "$TRIB_CP" kafka
fi

rate() { grep "RESULT broker=$1 format=$2 scan=$3 " "$RESULTS" | sed -E 's/.*rec_per_s=([0-9]+).*/\1/' | tail -1; }
for scan in count count_sum; do
  t=$(rate tributary tributary $scan); k=$(rate kafka kafka $scan)
  log "SUMMARY scan=$scan tributary-format@Tributary=${t} rows/s spark-sql-kafka@Kafka=${k} rows/s ratio=$(awk -v a="$t" -v b="$k" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }') (target >= 1.5)"
done
echo "results: $RESULTS" >&2
