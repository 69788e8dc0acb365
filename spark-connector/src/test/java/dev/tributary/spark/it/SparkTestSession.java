package dev.tributary.spark.it;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession all Spark tests share (the first costs ~20 s). {@code local[2,3]}: two cores, and
 * a failed task is retried up to 3 times, which the at-least-once sink test relies on.
 */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,3]")
                    .appName("tributary-spark-connector-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
