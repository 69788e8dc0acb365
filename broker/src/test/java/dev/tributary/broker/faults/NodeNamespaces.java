package dev.tributary.broker.faults;

import dev.tributary.broker.ClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per node, each joined by a veth pair to a bridge in this (the root) namespace, so
 * the test's own clients reach every node through the bridge while the test can cut nodes off from each other.
 * Node {@code I} is {@code 10.211.X.I/24} in namespace {@code trnp-PID-I}; the bridge is {@code 10.211.X.100/24};
 * {@code X} comes from this JVM's pid, so two test JVMs on one machine do not collide. Needs root and {@code ip}
 * ({@value #IP}).
 *
 * <p>{@link #isolate} cuts a node off from the other nodes (and so from the metadata quorum) with {@code /32}
 * routes on both sides through a gateway that does not exist ({@code 10.211.X.250}, given a permanent neighbour
 * entry with a MAC no interface has): the frames go onto the bridge and nobody takes them, so packets vanish
 * silently as in a real partition: connects and requests time out. (A {@code blackhole} route would fail them at
 * once with EINVAL instead, which makes Ratis retry in a tight loop; there is no netem, iptables or dummy device
 * here.) Its link to the bridge stays up, so the test's clients still reach it. {@link #heal} deletes the routes.
 */
final class NodeNamespaces implements ClusterProcesses.NodeHosts, AutoCloseable {
    static final String IP = "/usr/sbin/ip";
    /** A locally administered MAC that no interface has: frames sent to it are dropped by every receiver. */
    private static final String NOWHERE_MAC = "02:00:00:00:00:fe";

    private final int nodes;
    private final long pid = ProcessHandle.current().pid();
    private final int subnet = (int) (1 + pid % 250);
    private final List<String> cuts = new ArrayList<>();
    private final List<Runnable> undo = new ArrayList<>();

    private NodeNamespaces(int nodes) {
        this.nodes = nodes;
    }

    /**
     * Creates the bridge and one namespace per node; on failure undoes what it made and throws an {@link
     * IOException} that says which command failed and why (not root, no {@code ip}, no namespaces).
     */
    static NodeNamespaces create(int nodes) throws IOException, InterruptedException {
        NodeNamespaces n = new NodeNamespaces(nodes);
        try {
            n.setUp();
            return n;
        } catch (IOException | InterruptedException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void setUp() throws IOException, InterruptedException {
        String bridge = "trnp" + pid + "b";
        ip("link", "add", bridge, "type", "bridge");
        undo.add(() -> quietly("link", "del", bridge));
        ip("addr", "add", "10.211." + subnet + ".100/24", "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 1; i <= nodes; i++) {
            String ns = namespace(i);
            String veth = "trnp" + pid + "v" + i;
            ip("netns", "add", ns);
            undo.add(() -> quietly("netns", "del", ns));
            ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            undo.add(() -> quietly("link", "del", veth));
            ip("link", "set", veth, "master", bridge, "up");
            ip("-n", ns, "addr", "add", host(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "neigh", "add", nowhere(), "lladdr", NOWHERE_MAC, "dev", "eth0", "nud", "permanent");
        }
    }

    String namespace(int node) {
        return "trnp-" + pid + "-" + node;
    }

    @Override
    public String host(int node) {
        return "10.211." + subnet + "." + node;
    }

    @Override
    public List<String> commandPrefix(int node) {
        return List.of(IP, "netns", "exec", namespace(node));
    }

    /** The address of the gateway that does not exist. */
    private String nowhere() {
        return "10.211." + subnet + ".250";
    }

    /** Cuts {@code node} off from every other node, both ways; the test's clients still reach it. */
    void isolate(int node) throws IOException, InterruptedException {
        for (int other = 1; other <= nodes; other++) {
            if (other != node) {
                cut(node, other);
                cut(other, node);
            }
        }
    }

    /** Deletes every route {@link #isolate} added. */
    void heal() throws IOException, InterruptedException {
        for (String route : List.copyOf(cuts)) {
            String[] nsAndAddress = route.split(" ");
            ip("-n", nsAndAddress[0], "route", "del", nsAndAddress[1], "via", nowhere(), "dev", "eth0");
            cuts.remove(route);
        }
    }

    private void cut(int in, int to) throws IOException, InterruptedException {
        ip("-n", namespace(in), "route", "add", host(to) + "/32", "via", nowhere(), "dev", "eth0");
        cuts.add(namespace(in) + " " + host(to) + "/32");
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(IP));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 10 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + out);
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            // already gone, or never made
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the namespaces (their veth ends go with them), the veths and the bridge; call after the JVMs died. */
    @Override
    public void close() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
    }
}
