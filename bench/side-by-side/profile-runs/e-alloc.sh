# usage: e-alloc.sh CLASSPATH OUTDIR   -- allocation by broker threads for 300 x 1 MiB records (workload e)
set -u
source /work/shared/bench/kafka-peer/common.sh
TCP="$1"; O="$2"; rm -rf $O; mkdir -p $O; D=$(mktemp -d /tmp/ealloc.XXXX)
java -cp "$TCP" dev.tributary.broker.cli.TributaryCommand broker --listen 127.0.0.1:49040 --data-dir $D/data >$O/broker.log 2>&1 &
PID=$!; for i in $(seq 60); do can_connect 127.0.0.1 49040 && break; sleep 0.5; done
B=127.0.0.1:49040
run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server $B --create --topic e --partitions 1 --replication-factor 1 --config max.message.bytes=2097152 >/dev/null
# warm-up, then the measured run at half of a typical full-load rate
run_tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server $B --topic e --num-records 100 --record-size 1048576 --throughput -1 --command-property acks=1 batch.size=262144 linger.ms=5 max.request.size=2097152 > $O/warm.log 2>&1
jcmd $PID JFR.start name=e settings=profile >/dev/null
run_tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server $B --topic e --num-records 600 --record-size 1048576 --throughput 40 --command-property acks=1 batch.size=262144 linger.ms=5 max.request.size=2097152 > $O/p.log 2>&1
jcmd $PID JFR.stop name=e filename=$O/e.jfr >/dev/null
kill -TERM $PID; wait $PID; rm -rf $D
tail -1 $O/p.log
java -cp /work/wt/perf/bench/side-by-side/report/target/tributary-bench-report-0.1.0-SNAPSHOT.jar dev.tributary.bench.report.JfrHotspots $O/e.jfr 10 > $O/e.txt
grep -E "^allocated" $O/e.txt; grep -A4 "allocation by site" $O/e.txt; grep -E "GarbageCollection|G1" $O/e.txt | head -3
jfr summary $O/e.jfr | grep -E "GarbageCollection |jdk.GCPhasePause |G1HeapRegionTypeChange|ObjectAllocationOutsideTLAB" 
