package dev.tributary.broker.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code topics create|list|describe|alter|delete} through the Admin API. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Manage topics.",
        subcommands = {
            TopicsCommand.Create.class,
            TopicsCommand.ListTopics.class,
            TopicsCommand.Describe.class,
            TopicsCommand.Alter.class,
            TopicsCommand.Delete.class
        })
public final class TopicsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static Map<String, String> parseConfigs(List<String> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected KEY=VALUE, got '" + kv + "'");
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Option(
                names = {"--partitions", "-p"},
                defaultValue = "-1",
                description = "Partition count (default: num.partitions).")
        int partitions;

        @Option(
                names = {"--replication-factor", "-r"},
                defaultValue = "-1",
                description = "Replicas of each partition (default: default.replication.factor).")
        short replicationFactor;

        @Option(
                names = {"--config", "-c"},
                paramLabel = "KEY=VALUE",
                description = "Topic config, repeatable.")
        List<String> configs = List.of();

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                NewTopic t = new NewTopic(
                                topic,
                                partitions == -1 ? java.util.Optional.empty() : java.util.Optional.of(partitions),
                                replicationFactor == -1
                                        ? java.util.Optional.empty()
                                        : java.util.Optional.of(replicationFactor))
                        .configs(parseConfigs(configs));
                admin.createTopics(List.of(t)).all().get();
                System.out.println("Created topic " + topic);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                new TreeSet<>(admin.listTopics(
                                        new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                                .names()
                                .get())
                        .forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Partitions, offsets and config overrides.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "Topics (default: all).")
        List<String> topics = List.of();

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                Collection<String> names = topics.isEmpty()
                        ? new TreeSet<>(admin.listTopics().names().get())
                        : topics;
                Map<String, TopicDescription> ds =
                        admin.describeTopics(names).allTopicNames().get();
                for (String name : names) {
                    TopicDescription d = ds.get(name);
                    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
                    List<String> overrides = new ArrayList<>();
                    for (ConfigEntry e : cfg.entries()) {
                        if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                            overrides.add(e.name() + "=" + e.value());
                        }
                    }
                    System.out.printf(
                            "Topic: %s\tTopicId: %s\tPartitionCount: %d\tConfigs: %s%n",
                            name, d.topicId(), d.partitions().size(), String.join(",", overrides));
                    Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
                    Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                    d.partitions().forEach(p -> {
                        earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                        latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                    });
                    var e = admin.listOffsets(earliest).all().get();
                    var l = admin.listOffsets(latest).all().get();
                    d.partitions().forEach(p -> {
                        TopicPartition tp = new TopicPartition(name, p.partition());
                        System.out.printf(
                                "\tPartition: %d\tLeader: %s\tReplicas: %s\tIsr: %s\tLogStartOffset: %d"
                                        + "\tLogEndOffset: %d%n",
                                p.partition(),
                                p.leader() == null || p.leader().isEmpty()
                                        ? "none"
                                        : p.leader().id(),
                                ids(p.replicas()),
                                ids(p.isr()),
                                e.get(tp).offset(),
                                l.get(tp).offset());
                    });
                }
            }
            return 0;
        }
    }

    /** Node ids as Kafka's tools print them: {@code 1,2,3}. */
    static String ids(List<org.apache.kafka.common.Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (org.apache.kafka.common.Node n : nodes) {
            sb.append(sb.length() == 0 ? "" : ",").append(n.id());
        }
        return sb.toString();
    }

    @Command(name = "alter", mixinStandardHelpOptions = true, description = "Change configs or add partitions.")
    static final class Alter implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a config, repeatable.")
        List<String> sets = List.of();

        @Option(names = "--delete-config", paramLabel = "KEY", description = "Remove an override, repeatable.")
        List<String> deletes = List.of();

        @Option(names = "--partitions", paramLabel = "N", description = "Grow to N partitions.")
        Integer partitions;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                List<AlterConfigOp> ops = new ArrayList<>();
                parseConfigs(sets)
                        .forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                deletes.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                if (!ops.isEmpty()) {
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                            .all()
                            .get();
                    System.out.println("Updated configs of " + topic);
                }
                if (partitions != null) {
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                            .all()
                            .get();
                    System.out.println(topic + " now has " + partitions + " partitions");
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "TOPIC", arity = "1..*")
        List<String> topics;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                admin.deleteTopics(topics).all().get();
                System.out.println("Deleted " + String.join(", ", topics));
            }
            return 0;
        }
    }
}
