package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry of a three-node cluster is one registry: every node's registry reads and writes the
 * replicated {@code _schemas} (created through the quorum once enough brokers are there for three replicas,
 * and waited for quietly until then) and takes schema ids from the metadata quorum. Schemas registered on
 * different nodes, one after another and at the same moment, get ids that are unique and the same everywhere;
 * the same schema under the same subject gets one id whichever node registers it; after the {@code _schemas}
 * leader is killed the survivors still read and register, and the restarted node reads everything back.
 */
class ClusterSchemaRegistryTest {
    private static final int NODES = 3;
    private static final String SCHEMAS = "_schemas";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void everyNodeServesOneRegistryWithUniqueIdsThroughALeaderFailover() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir,
                NODES,
                List.of(
                        "broker.session.timeout.ms=3000",
                        "broker.heartbeat.interval.ms=500",
                        "min.insync.replicas=2",
                        "replica.lag.time.max.ms=5000"))) {
            try {
                run(cluster);
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    private void run(ClusterProcesses cluster) throws Exception {
        // two nodes cannot hold the three replicas of _schemas: their registries wait for the third
        cluster.start(1);
        cluster.start(2);
        cluster.awaitListening(1, Duration.ofSeconds(60));
        cluster.awaitListening(2, Duration.ofSeconds(60));
        await("node 1's registry waiting for " + SCHEMAS)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readString(cluster.log(1)).contains("waiting for the cluster to create " + SCHEMAS));
        Response early = get(cluster.registryUrl(1), "/subjects");
        assertThat(early.status())
                .as("a registry that has not read _schemas yet")
                .isEqualTo(500);
        assertThat(early.body().get("error_code").asInt()).isEqualTo(50002);

        cluster.start(3);
        cluster.awaitListening(3, Duration.ofSeconds(60));
        for (int node = 1; node <= NODES; node++) {
            String url = cluster.registryUrl(node);
            await("registry of node " + node + " serving")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> get(url, "/subjects").status() == 200);
        }
        String bootstrap = cluster.bootstrap(1) + "," + cluster.bootstrap(2) + "," + cluster.bootstrap(3);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription schemas = admin.describeTopics(List.of(SCHEMAS))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(SCHEMAS);
            assertThat(schemas.partitions()).hasSize(1);
            assertThat(schemas.partitions().get(0).replicas())
                    .as("replicas of _schemas")
                    .hasSize(3);
            assertThatThrownBy(() -> admin.deleteTopics(List.of(SCHEMAS)).all().get(10, TimeUnit.SECONDS))
                    .as("deleting _schemas")
                    .hasCauseInstanceOf(InvalidRequestException.class);

            // one after another on different nodes: the same schema under the same subject keeps its id
            Map<String, Integer> ids = new TreeMap<>(); // schema -> id, every schema registered
            int first = register(cluster.registryUrl(1), "orders-value", schema("Order"));
            ids.put(schema("Order"), first);
            assertThat(register(cluster.registryUrl(2), "orders-value", schema("Order")))
                    .isEqualTo(first);
            assertThat(register(cluster.registryUrl(3), "orders-value", schema("Order")))
                    .isEqualTo(first);

            // at once on every node: distinct schemas get distinct ids, also as versions of one subject (which
            // needs compatibility NONE); one schema registered by every node under one subject gets one id
            Response none = send(HttpRequest.newBuilder(URI.create(cluster.registryUrl(1) + "/config"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"NONE\"}")));
            assertThat(none.status()).isEqualTo(200);
            for (int node = 1; node <= NODES; node++) {
                String url = cluster.registryUrl(node);
                await("compatibility NONE on node " + node)
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(
                                () -> get(url, "/config")
                                        .body()
                                        .get("compatibilityLevel")
                                        .asText(),
                                "NONE"::equals);
            }
            ids.putAll(registerConcurrently(cluster));
            assertThat(new HashSet<>(ids.values())).as("ids of %s", ids).hasSameSizeAs(ids.keySet());
            for (int node = 1; node <= NODES; node++) {
                awaitServes(cluster.registryUrl(node), ids, "node " + node);
            }
            awaitSameSubjectsEverywhere(cluster, List.of(1, 2, 3));
            assertThat(subjects(cluster.registryUrl(1)).get("contended-value"))
                    .as("one version for each node's schema under the contended subject")
                    .hasSize(NODES);
            assertThat(subjects(cluster.registryUrl(1)).get("shared-value")).hasSize(1);

            // the leader of _schemas dies: the others keep serving, reading and registering
            int leader = leaderOf(admin);
            List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
            survivors.remove(Integer.valueOf(leader));
            System.out.println("killing node " + leader + ", the leader of " + SCHEMAS);
            cluster.process(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String afterKill = schema("AfterFailover");
            int afterId = await("a registration on node " + survivors.get(0) + " after the leader died")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> register(cluster.registryUrl(survivors.get(0)), "after-value", afterKill), id -> true);
            assertThat(ids.values()).doesNotContain(afterId);
            ids.put(afterKill, afterId);
            assertThat(register(cluster.registryUrl(survivors.get(1)), "after-value", afterKill))
                    .isEqualTo(afterId);
            String another = schema("AlsoAfterFailover");
            int anotherId = register(cluster.registryUrl(survivors.get(1)), "also-after-value", another);
            assertThat(ids.values()).doesNotContain(anotherId);
            ids.put(another, anotherId);
            for (int node : survivors) {
                awaitServes(cluster.registryUrl(node), ids, "surviving node " + node);
            }
            await("a new leader of " + SCHEMAS)
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> leaderOf(admin) != leader);

            // the killed node comes back and reads everything, including what was registered while it was away
            cluster.start(leader);
            cluster.awaitListening(leader, Duration.ofSeconds(60));
            awaitServes(cluster.registryUrl(leader), ids, "restarted node " + leader);
            awaitSameSubjectsEverywhere(cluster, List.of(1, 2, 3));
        }

        for (int node = 1; node <= NODES; node++) {
            long unknown = Files.readAllLines(cluster.log(node)).stream()
                    .filter(l -> l.contains("UNKNOWN_TOPIC_OR_PARTITION") && l.contains(SCHEMAS))
                    .count();
            System.out.println("node " + node + ": " + unknown + " UNKNOWN_TOPIC_OR_PARTITION lines for " + SCHEMAS);
            assertThat(unknown)
                    .as("lines of node %s's log about UNKNOWN_TOPIC_OR_PARTITION for %s", node, SCHEMAS)
                    .isLessThanOrEqualTo(2);
        }
    }

    /**
     * Released at once, each node registers one shared schema under one shared subject, one schema of its own
     * under one contended subject, and three schemas of its own under its own subject; returns schema -> id.
     */
    private static Map<String, Integer> registerConcurrently(ClusterProcesses cluster) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Map<String, Integer>>> results = new ArrayList<>();
            for (int node = 1; node <= NODES; node++) {
                String url = cluster.registryUrl(node);
                int n = node;
                results.add(pool.submit(() -> {
                    go.await();
                    Map<String, Integer> mine = new TreeMap<>();
                    mine.put(schema("Shared"), register(url, "shared-value", schema("Shared")));
                    mine.put(schema("Contended" + n), register(url, "contended-value", schema("Contended" + n)));
                    for (int i = 0; i < 3; i++) {
                        String s = schema("Node" + n + "Schema" + i);
                        mine.put(s, register(url, "node" + n + "-value", s));
                    }
                    return mine;
                }));
            }
            go.countDown();
            Map<String, Integer> all = new TreeMap<>();
            for (Future<Map<String, Integer>> f : results) {
                for (Map.Entry<String, Integer> e : f.get(60, TimeUnit.SECONDS).entrySet()) {
                    Integer earlier = all.putIfAbsent(e.getKey(), e.getValue());
                    assertThat(earlier == null || earlier.equals(e.getValue()))
                            .as("%s registered as %s and as %s", e.getKey(), earlier, e.getValue())
                            .isTrue();
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The node answers every id with its schema. */
    private static void awaitServes(String url, Map<String, Integer> ids, String who) {
        await(who + " serving every schema by id")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (Map.Entry<String, Integer> e : ids.entrySet()) {
                        Response r = get(url, "/schemas/ids/" + e.getValue());
                        assertThat(r.status())
                                .as("%s: schema %s", who, e.getValue())
                                .isEqualTo(200);
                        assertThat(r.body().get("schema").asText()).isEqualTo(e.getKey());
                    }
                });
    }

    /** Every node lists the same subjects with the same versions, and each version the same id. */
    private static void awaitSameSubjectsEverywhere(ClusterProcesses cluster, List<Integer> nodes) {
        await("the same subjects, versions and ids on every node")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    Map<String, Map<Integer, Integer>> expected = subjects(cluster.registryUrl(nodes.get(0)));
                    assertThat(expected).isNotEmpty();
                    for (int node : nodes) {
                        assertThat(subjects(cluster.registryUrl(node)))
                                .as("subjects of node " + node)
                                .isEqualTo(expected);
                    }
                });
    }

    /** subject -> version -> id. */
    private static Map<String, Map<Integer, Integer>> subjects(String url) throws Exception {
        Map<String, Map<Integer, Integer>> out = new TreeMap<>();
        for (JsonNode subject : get(url, "/subjects").body()) {
            Map<Integer, Integer> versions = new TreeMap<>();
            for (JsonNode v :
                    get(url, "/subjects/" + subject.asText() + "/versions").body()) {
                versions.put(
                        v.asInt(),
                        get(url, "/subjects/" + subject.asText() + "/versions/" + v.asInt())
                                .body()
                                .get("id")
                                .asInt());
            }
            out.put(subject.asText(), versions);
        }
        return out;
    }

    private static int leaderOf(Admin admin) throws Exception {
        TopicPartitionInfo p = admin.describeTopics(List.of(SCHEMAS))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(SCHEMAS)
                .partitions()
                .get(0);
        return p.leader() == null ? -1 : p.leader().id();
    }

    /** An Avro enum in the canonical form the registry stores, so that it comes back as the same text. */
    private static String schema(String name) {
        return "{\"type\":\"enum\",\"name\":\"" + name + "\",\"symbols\":[\"A\"]}";
    }

    private static int register(String url, String subject, String schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        Response r = send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.status() != 200) {
            throw new AssertionError("registering under " + subject + " at " + url + ": " + r);
        }
        return r.body().get("id").asInt();
    }

    private static Response get(String url, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(request.timeout(Duration.ofSeconds(45)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), JSON.readTree(r.body()));
    }

    private record Response(int status, JsonNode body) {}
}
