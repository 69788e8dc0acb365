package dev.tributary.broker.cli;

import dev.tributary.broker.Broker;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.registry.SchemaRegistryPlugin;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a broker until SIGTERM/Ctrl-C, then shuts down gracefully (flush + clean-shutdown marker).
 * Settings apply in order: defaults, {@code --config FILE}, {@code --listen}/{@code --data-dir}/
 * {@code --registry-listen}, then {@code --set key=value}. The schema registry is on by default at
 * 127.0.0.1:8081 ({@code --registry-listen none} turns it off).
 */
@Command(name = "broker", mixinStandardHelpOptions = true, description = "Run a broker.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (default ./data, or log.dirs from --config).")
    Path dataDir;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "Address to listen on (default 127.0.0.1:9092).")
    String listen;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file with broker configs (Kafka's names).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A broker config, e.g. --set num.partitions=3.")
    List<String> sets = List.of();

    @Option(
            names = "--registry-listen",
            paramLabel = "HOST:PORT|none",
            description = "Schema registry HTTP address (default 127.0.0.1:8081); 'none' turns the registry off.")
    String registryListen;

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = config();
        Broker broker = Broker.start(config);
        var bound = broker.boundAddress();
        System.out.println("Tributary broker listening on " + bound.getHostString() + ":" + bound.getPort()
                + " (advertised " + broker.services().advertisedAddress().getHostString() + ":"
                + broker.services().advertisedAddress().getPort() + "), data in "
                + config.dataDir().toAbsolutePath().normalize());
        String registryUrl = broker.pluginEndpoints().get(SchemaRegistryPlugin.URL_ENDPOINT);
        if (registryUrl != null) {
            System.out.println("Schema registry listening on " + registryUrl);
        }
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                                System.out.println("Tributary broker stopped cleanly");
                            } catch (IOException | RuntimeException e) {
                                System.err.println("Shutdown failed: " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "tributary-shutdown"));
        stopped.await();
        return 0;
    }

    BrokerConfig config() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        }
        if (listen != null) {
            m.put(BrokerConfig.LISTENERS, listen);
        } else {
            m.putIfAbsent(BrokerConfig.LISTENERS, "127.0.0.1:9092");
        }
        if (dataDir != null) {
            m.put(BrokerConfig.LOG_DIRS, dataDir.toString());
        }
        // The CLI serves the schema registry unless told otherwise (a config file may also turn it off).
        if (registryListen == null) {
            m.putIfAbsent(SchemaRegistryPlugin.ENABLE, "true");
        } else if (registryListen.trim().equalsIgnoreCase("none")) {
            m.put(SchemaRegistryPlugin.ENABLE, "false");
        } else {
            m.put(SchemaRegistryPlugin.ENABLE, "true");
            String address = registryListen.trim();
            m.put(SchemaRegistryPlugin.LISTENERS, address.contains("://") ? address : "http://" + address);
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + s + "'");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return BrokerConfig.fromMap(m);
    }
}
