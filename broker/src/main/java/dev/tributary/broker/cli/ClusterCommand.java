package dev.tributary.broker.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster status}: the brokers and the controller, through the Admin API. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Inspect the cluster.",
        subcommands = {ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "List the live brokers, the controller (the metadata quorum's leader), and the"
                    + " under-replicated and offline partitions.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.props())) {
                DescribeClusterResult r = admin.describeCluster();
                String clusterId = r.clusterId().get(30, TimeUnit.SECONDS);
                Collection<Node> nodes = r.nodes().get(30, TimeUnit.SECONDS);
                Node controller = r.controller().get(30, TimeUnit.SECONDS);
                System.out.print(format(clusterId, nodes, controller));
                Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                Map<String, TopicDescription> topics =
                        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                System.out.print(health(topics.values(), nodes));
            }
            return 0;
        }
    }

    /**
     * The partitions an operator must look at: under-replicated (ISR smaller than the replicas) and offline (no
     * leader, or a leader that is not a live broker).
     */
    static String health(Collection<TopicDescription> topics, Collection<Node> liveBrokers) {
        Set<Integer> live = new TreeSet<>();
        liveBrokers.forEach(n -> live.add(n.id()));
        List<String> under = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        int total = 0;
        List<TopicDescription> sorted = new ArrayList<>(topics);
        sorted.sort(Comparator.comparing(TopicDescription::name));
        for (TopicDescription t : sorted) {
            for (TopicPartitionInfo p : t.partitions()) {
                total++;
                String name = t.name() + "-" + p.partition();
                Node leader = p.leader();
                if (leader == null || leader.isEmpty() || !live.contains(leader.id())) {
                    offline.add(name);
                } else if (p.isr().size() < p.replicas().size()) {
                    under.add(name + " (isr " + TopicsCommand.ids(p.isr()) + " of " + TopicsCommand.ids(p.replicas())
                            + ")");
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Partitions: ").append(total).append('\n');
        sb.append("Under-replicated partitions: ").append(under.size()).append('\n');
        under.forEach(u -> sb.append("  ").append(u).append('\n'));
        sb.append("Offline partitions: ").append(offline.size()).append('\n');
        offline.forEach(o -> sb.append("  ").append(o).append('\n'));
        return sb.toString();
    }

    /** The printed status: the cluster id, the controller, then one line per broker, by id. */
    static String format(String clusterId, Collection<Node> nodes, Node controller) {
        boolean known = controller != null && !controller.isEmpty() && controller.id() >= 0;
        StringBuilder sb = new StringBuilder();
        sb.append("Cluster id: ").append(clusterId).append('\n');
        sb.append("Controller (quorum leader): ")
                .append(known ? "node " + controller.id() : "none known")
                .append('\n');
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingInt(Node::id));
        sb.append("Brokers (").append(sorted.size()).append("):\n");
        for (Node n : sorted) {
            sb.append("  ")
                    .append(n.id())
                    .append('\t')
                    .append(n.host())
                    .append(':')
                    .append(n.port());
            if (known && n.id() == controller.id()) {
                sb.append("\tcontroller");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
