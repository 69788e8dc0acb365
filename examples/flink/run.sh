#!/usr/bin/env bash
# Builds the Flink example and its modules, then runs it: an in-process Tributary broker with its schema
# registry, a typed Avro click stream, a windowed SQL job through the Tributary catalog, and a bounded
# backfill from a timestamp. Prints the result rows. Needs Java 17 and Maven; first run downloads ~500 MB.
# Usage: examples/flink/run.sh [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
echo "Building (mvn -pl examples/flink -am package, tests skipped)..." >&2
mvn -B -q -pl examples/flink -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="examples/flink/target/classes:$(cat examples/flink/target/classpath.txt)"
# Flink on Java 17 reflects into these JDK packages (the same list Flink's own launcher passes).
OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED)
exec java -Xmx1g "${OPENS[@]}" -cp "$CP" dev.tributary.examples.flink.ClickStreamExample "$@"
