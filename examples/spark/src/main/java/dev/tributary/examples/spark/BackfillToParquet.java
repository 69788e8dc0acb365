package dev.tributary.examples.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Batch backfill: reads one time range of the typed topic {@code orders} (startingTimestamp /
 * endingTimestamp, resolved through the broker's time index) with typed columns from the registry, and
 * writes it to Parquet partitioned by hour. Prints the counts and checks the Parquet files against the
 * topic.
 *
 * <pre>
 * run.sh backfill                                   # in-process broker with demo data, hours 12..6 ago
 * run.sh backfill --bootstrap H:P --registry URL --topic orders --from MS --to MS --out DIR
 * </pre>
 */
public final class BackfillToParquet {
    public static void main(String[] argv) throws Exception {
        Map<String, String> args = DemoBroker.parse(argv);
        try (DemoBroker broker = DemoBroker.fromArgs(args, 20_000)) {
            String topic = args.getOrDefault("topic", DemoBroker.TOPIC);
            long now = System.currentTimeMillis();
            long from = Long.parseLong(args.getOrDefault("from", Long.toString(now - 12 * 3_600_000L)));
            long to = Long.parseLong(args.getOrDefault("to", Long.toString(now - 6 * 3_600_000L)));
            String out = args.getOrDefault(
                    "out",
                    Files.createTempDirectory("tributary-backfill-")
                            .resolve("orders")
                            .toString());
            SparkSession spark = Spark.local("tributary-backfill");

            Dataset<Row> orders = spark.read()
                    .format("tributary")
                    .option("tributary.bootstrap.servers", broker.bootstrap)
                    .option("subscribe", topic)
                    .option("startingTimestamp", Long.toString(from))
                    .option("endingTimestamp", Long.toString(to))
                    .option("valueFormat", "avro")
                    .option("schema.registry.url", broker.registry)
                    .load()
                    .selectExpr(
                            "value.*",
                            "partition",
                            "offset",
                            "timestamp",
                            "date_format(timestamp, 'yyyy-MM-dd-HH') AS hour");

            long t0 = System.nanoTime();
            orders.write().mode("overwrite").partitionBy("hour").parquet(out);
            double seconds = (System.nanoTime() - t0) / 1e9;

            Dataset<Row> parquet = spark.read().parquet(out);
            long written = parquet.count();
            System.out.printf(
                    "backfill of '%s' from %s to %s -> %s%n",
                    topic, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), out);
            System.out.printf(
                    "rows written: %d in %.1f s (%d Parquet files)%n",
                    written,
                    seconds,
                    Files.walk(Path.of(out))
                            .filter(p -> p.toString().endsWith(".parquet"))
                            .count());
            parquet.groupBy("hour").count().orderBy("hour").show(30, false);
            parquet.groupBy("partition").count().orderBy("partition").show(false);
            parquet.selectExpr(
                            "count(distinct customer) AS customers",
                            "round(sum(amount), 2) AS revenue",
                            "min(timestamp) AS first",
                            "max(timestamp) AS last")
                    .show(false);

            // the same range read again with a timestamp filter (pushed down to offsets) must agree
            long check = spark.read()
                    .format("tributary")
                    .option("tributary.bootstrap.servers", broker.bootstrap)
                    .option("subscribe", topic)
                    .load()
                    .where(org.apache
                            .spark
                            .sql
                            .functions
                            .col("timestamp")
                            .geq(new java.sql.Timestamp(from))
                            .and(org.apache.spark.sql.functions.col("timestamp").lt(new java.sql.Timestamp(to))))
                    .count();
            System.out.printf(
                    "check: %d records in the topic in that range -> %s%n",
                    check, check == written ? "OK" : "MISMATCH");
            spark.stop();
            if (check != written) {
                System.exit(1);
            }
        }
    }
}
