package dev.tributary.broker.cli;

import dev.tributary.log.tools.DumpLogCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tributary}: the broker and the tools around it. */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        version = "tributary 0.1.0",
        description = "A Kafka-protocol partitioned log broker.",
        subcommands = {
            BrokerCommand.class,
            TopicsCommand.class,
            ClusterCommand.class,
            DevClusterCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            DumpLogCommand.class
        })
public final class TributaryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // before any logger exists: quiet kafka-clients' INFO chatter in the tools
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        // Ratis (the metadata quorum of a cluster node) logs every connection and election at INFO
        setDefault("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        int code = commandLine().execute(args);
        if (code != 0 || !(args.length > 0 && args[0].equals("broker"))) {
            System.exit(code);
        }
    }

    /** The command line with its error handling: a failure prints {@code error: <cause>} and exits 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TributaryCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            commandLine.getErr().println("error: " + cause.getMessage());
            return 1;
        });
        return cli;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
