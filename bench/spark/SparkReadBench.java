import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One batch read benchmark for either Spark format, run as a single-file program
 * ({@code java -cp CLASSPATH SparkReadBench.java FORMAT BOOTSTRAP TOPIC EXPECTED}) so the same code
 * runs with the tributary connector's class path and with spark-sql-kafka's.
 *
 * <p>Two full scans of the topic (earliest to latest), local[2]:
 * 1. {@code count()}; 2. {@code count(*), sum(length(value))}. The first carries JIT and consumer
 * warm-up, the second is the steady figure. Prints one RESULT line per scan; exits 1 on a count mismatch.
 */
public final class SparkReadBench {
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: SparkReadBench FORMAT(tributary|kafka) BOOTSTRAP TOPIC EXPECTED");
      System.exit(2);
    }
    String format = args[0];
    String bootstrap = args[1];
    String topic = args[2];
    long expected = Long.parseLong(args[3]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spark-read-bench-" + format)
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int rc = 0;
    try {
      Dataset<Row> df = spark.read().format(format).option("kafka.bootstrap.servers", bootstrap)
          .option("subscribe", topic).option("startingOffsets", "earliest").option("endingOffsets", "latest").load();
      long t0 = System.nanoTime();
      long n = df.count();
      double s1 = (System.nanoTime() - t0) / 1e9;
      System.out.printf("RESULT format=%s scan=count records=%d seconds=%.3f rec_per_s=%.0f%n", format, n, s1, n / s1);
      long t1 = System.nanoTime();
      Row r = df.selectExpr("count(*)", "coalesce(sum(length(value)), 0)").head();
      double s2 = (System.nanoTime() - t1) / 1e9;
      System.out.printf("RESULT format=%s scan=count_sum records=%d bytes=%d seconds=%.3f rec_per_s=%.0f%n", format,
          r.getLong(0), r.getLong(1), s2, r.getLong(0) / s2);
      if (n != expected || r.getLong(0) != expected) {
        System.err.printf("MISMATCH format=%s count=%d sum-scan=%d expected=%d%n", format, n, r.getLong(0), expected);
        rc = 1;
      }
    } catch (Throwable t) {
      t.printStackTrace();
      rc = 1;
    } finally {
      spark.stop();
    }
    System.exit(rc);
  }
}
