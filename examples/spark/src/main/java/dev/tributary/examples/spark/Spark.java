package dev.tributary.examples.spark;

import org.apache.spark.sql.SparkSession;

/** The local Spark session the examples use. */
final class Spark {
    private Spark() {}

    static SparkSession local(String app) {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
