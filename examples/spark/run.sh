#!/usr/bin/env bash
# One-command Spark examples on Tributary.
#   examples/spark/run.sh backfill  [--bootstrap H:P --registry URL --topic T --from MS --to MS --out DIR]
#   examples/spark/run.sh aggregate [--bootstrap H:P --registry URL --topic T --checkpoint DIR]
# Without --bootstrap each example starts a Tributary broker (with its schema registry) in-process and
# fills a typed topic 'orders' with 20,000 Avro orders over the last 24 hours.
# Builds what it needs first (mvn package of this module and the modules it uses, tests skipped).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
case "${1:-}" in
  backfill) MAIN=dev.tributary.examples.spark.BackfillToParquet ;;
  aggregate) MAIN=dev.tributary.examples.spark.AvailableNowAggregation ;;
  *) echo "usage: $0 backfill|aggregate [--name value ...]" >&2; exit 2 ;;
esac
shift

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$HERE/target/classpath.txt" ]]; then
  echo "building (mvn package -DskipTests) ..." >&2
  (cd "$ROOT" && mvn -B -q -pl examples/spark -am package -DskipTests ${MVN_OPTS:-})
fi

# Spark 4.1 on Java 17: the module flags spark-submit adds
JVM_FLAGS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
 --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
 -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
 --enable-native-access=ALL-UNNAMED"

export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
exec java ${EXAMPLE_HEAP:--Xmx2g} $JVM_FLAGS -Dlog4j2.configurationFile=classpath:log4j2.properties \
  -cp "$HERE/target/classes:$(cat "$HERE/target/classpath.txt")" "$MAIN" "$@"
