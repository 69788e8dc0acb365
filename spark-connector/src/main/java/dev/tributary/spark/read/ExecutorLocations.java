package dev.tributary.spark.read;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The live executors as Spark task locations ({@code executor_<host>_<id>}, the form the scheduler
 * reads as "run on this executor"), sorted so every batch maps a topic-partition to the same one.
 * Empty in local mode, where the driver is the only executor and a preference means nothing.
 */
public final class ExecutorLocations {
    private ExecutorLocations() {}

    public static List<String> sorted() {
        List<String> out = new ArrayList<>();
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return out;
        }
        BlockManager bm = env.blockManager();
        for (BlockManagerId id : CollectionConverters.asJava(bm.master().getPeers(bm.blockManagerId()))) {
            out.add("executor_" + id.host() + "_" + id.executorId());
        }
        out.sort(null);
        return out;
    }
}
