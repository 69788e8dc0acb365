package dev.tributary.examples.spark;

import java.nio.file.Files;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Structured Streaming with {@code Trigger.AvailableNow}: aggregates everything the typed topic
 * {@code orders} holds now (revenue and order count per customer), in micro-batches of at most
 * {@code maxOffsetsPerTrigger} records, then stops by itself. Running it again with the same checkpoint
 * processes only what arrived since.
 *
 * <pre>
 * run.sh aggregate                                  # in-process broker with demo data
 * run.sh aggregate --bootstrap H:P --registry URL --topic orders --checkpoint DIR
 * </pre>
 */
public final class AvailableNowAggregation {
    public static void main(String[] argv) throws Exception {
        Map<String, String> args = DemoBroker.parse(argv);
        try (DemoBroker broker = DemoBroker.fromArgs(args, 20_000)) {
            String topic = args.getOrDefault("topic", DemoBroker.TOPIC);
            String checkpoint = args.getOrDefault(
                    "checkpoint",
                    Files.createTempDirectory("tributary-aggregate-")
                            .resolve("checkpoint")
                            .toString());
            SparkSession spark = Spark.local("tributary-available-now");

            Dataset<Row> orders = spark.readStream()
                    .format("tributary")
                    .option("tributary.bootstrap.servers", broker.bootstrap)
                    .option("subscribe", topic)
                    .option("startingOffsets", "earliest")
                    .option("maxOffsetsPerTrigger", args.getOrDefault("maxOffsetsPerTrigger", "5000"))
                    .option("valueFormat", "avro")
                    .option("schema.registry.url", broker.registry)
                    .load();

            StreamingQuery query = orders.groupBy("value.customer")
                    .agg(
                            org.apache.spark.sql.functions.count("*").as("orders"),
                            org.apache
                                    .spark
                                    .sql
                                    .functions
                                    .round(org.apache.spark.sql.functions.sum("value.amount"), 2)
                                    .as("revenue"))
                    .writeStream()
                    .outputMode("complete")
                    .format("memory")
                    .queryName("revenue_by_customer")
                    .option("checkpointLocation", checkpoint)
                    .trigger(Trigger.AvailableNow())
                    .start();
            query.awaitTermination();

            long total = 0;
            for (StreamingQueryProgress p : query.recentProgress()) {
                if (p.numInputRows() > 0) {
                    System.out.printf("micro-batch %d: %d records%n", p.batchId(), p.numInputRows());
                    total += p.numInputRows();
                }
            }
            System.out.printf(
                    "AvailableNow query finished: %d records in %d micro-batches (checkpoint %s)%n",
                    total, query.recentProgress().length, checkpoint);
            spark.sql("SELECT * FROM revenue_by_customer ORDER BY revenue DESC").show(25, false);
            Row sums = spark.sql("SELECT sum(orders), round(sum(revenue), 2) FROM revenue_by_customer")
                    .first();
            System.out.printf("total: %d orders, revenue %.2f%n", sums.getLong(0), sums.getDouble(1));
            spark.stop();
        }
    }
}
