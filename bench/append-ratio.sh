#!/usr/bin/env bash
# Runs AppendBenchmark (append vs rawFileChannelWrite) in several short JMH rounds and prints the ratio of each
# round and the median. On a shared, loaded machine a single long run drifts with other people's load between
# the two benchmarks; short rounds put both sides under the same conditions many times.
#   usage: bench/append-ratio.sh [rounds=5] [batchBytes=65536] [codec=NONE]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; size=${2:-65536}; codec=${3:-NONE}
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -pl bench -am package -DskipTests
ratios=()
for r in $(seq 1 "$rounds"); do
  out=$(java -Djmh.ignoreLock=true -jar "$jar" AppendBenchmark -p batchBytes="$size" -p codec="$codec" \
        -f 1 -wi 1 -w 2s -i 3 -r 2s 2>&1 | grep -E '^AppendBenchmark\.(append|rawFileChannelWrite) ')
  a=$(awk '$1=="AppendBenchmark.append"{print $(NF-3)}' <<<"$out")
  w=$(awk '$1=="AppendBenchmark.rawFileChannelWrite"{print $(NF-3)}' <<<"$out")
  ratio=$(awk -v a="$a" -v w="$w" 'BEGIN{printf "%.3f", a/w}')
  ratios+=("$ratio")
  echo "round $r: append $a ops/s, raw $w ops/s, ratio $ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}')
echo "median ratio append/raw over $rounds rounds ($size bytes, $codec): $median"
