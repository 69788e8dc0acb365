package dev.tributary.broker.cli;

import java.util.Properties;
import picocli.CommandLine.Option;

/** Options shared by the client tools. */
final class ClientOptions {
    @Option(
            names = {"--bootstrap-server", "-b"},
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9092",
            description = "Broker to talk to (default ${DEFAULT-VALUE}).")
    String bootstrap;

    Properties props() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", "tributary-cli");
        return p;
    }
}
