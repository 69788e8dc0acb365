package dev.tributary.testing;

import dev.tributary.broker.Broker;
import dev.tributary.broker.config.BrokerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker in its own OS process for {@link BrokerCrashTest}: {@code CrashTestBrokerMain DATA_DIR PORT}.
 * Prints {@code READY <port>} once it serves, then runs until it is killed.
 */
public final class CrashTestBrokerMain {
    private CrashTestBrokerMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(BrokerConfig.LOG_DIRS, args[0]);
        c.put(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + args[1]);
        c.put("group.initial.rebalance.delay.ms", "0");
        // Snapshots every half second: a kill then finds a snapshot plus a log tail to replay.
        c.put("producer.state.snapshot.interval.ms", "500");
        Broker broker = Broker.start(BrokerConfig.fromMap(c));
        System.out.println("READY " + broker.boundAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
