package dev.tributary.metadata.quorum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed value of {@code controller.quorum.voters}, Kafka's syntax: {@code id@host:port} entries
 * separated by commas, for example {@code 1@10.0.0.1:9095,2@10.0.0.2:9095,3@10.0.0.3:9095}. An IPv6 host is
 * written in brackets ({@code 4@[::1]:9095}). Blank means no voters: the node is a quorum of one.
 *
 * <p>A bad value is refused with an {@link IllegalArgumentException} that names the entry and what is wrong
 * with it.
 */
public record QuorumVoters(List<Voter> voters) {

    public static final String CONFIG = "controller.quorum.voters";

    /** One voter: its node id and the address its quorum server listens on. */
    public record Voter(int id, String host, int port) {
        /** {@code host:port}, with brackets around an IPv6 host. */
        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public QuorumVoters {
        voters = List.copyOf(voters);
    }

    public static QuorumVoters none() {
        return new QuorumVoters(List.of());
    }

    public static QuorumVoters parse(String value) {
        if (value == null || value.isBlank()) {
            return none();
        }
        List<Voter> voters = new ArrayList<>();
        Map<Integer, String> seenIds = new HashMap<>();
        Map<String, String> seenAddresses = new HashMap<>();
        for (String raw : value.split(",", -1)) {
            String entry = raw.trim();
            Voter v = parseEntry(entry);
            String before = seenIds.putIfAbsent(v.id(), entry);
            if (before != null) {
                throw bad(entry, "node id " + v.id() + " is listed twice (also in '" + before + "')");
            }
            before = seenAddresses.putIfAbsent(v.address(), entry);
            if (before != null) {
                throw bad(entry, "address " + v.address() + " is listed twice (also in '" + before + "')");
            }
            voters.add(v);
        }
        return new QuorumVoters(voters);
    }

    private static Voter parseEntry(String entry) {
        if (entry.isEmpty()) {
            throw bad(entry, "the entry is empty (a stray comma?)");
        }
        int at = entry.indexOf('@');
        if (at < 0) {
            throw bad(entry, "expected id@host:port, there is no '@'");
        }
        int id;
        String idText = entry.substring(0, at);
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw bad(entry, "node id '" + idText + "' is not a number");
        }
        if (id < 0) {
            throw bad(entry, "node id " + id + " is negative");
        }
        String address = entry.substring(at + 1);
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw bad(entry, "address '" + address + "' has no ':port'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw bad(entry, "IPv6 host '" + host + "' must be written in brackets, as [" + host + "]");
        }
        if (host.isEmpty()) {
            throw bad(entry, "the host is empty");
        }
        String portText = address.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(entry, "port '" + portText + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw bad(entry, "port " + port + " is outside 1..65535");
        }
        return new Voter(id, host, port);
    }

    private static IllegalArgumentException bad(String entry, String problem) {
        return new IllegalArgumentException(CONFIG + " entry '" + entry + "' is invalid: " + problem);
    }

    public boolean isEmpty() {
        return voters.isEmpty();
    }

    public Optional<Voter> voter(int id) {
        return voters.stream().filter(v -> v.id() == id).findFirst();
    }

    /** The voter for {@code nodeId}; refused with a message naming both if the node is not listed. */
    public Voter require(int nodeId) {
        return voter(nodeId)
                .orElseThrow(() ->
                        new IllegalArgumentException("node.id " + nodeId + " is not among the " + CONFIG + " " + this));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Voter v : voters) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(v.id()).append('@').append(v.address());
        }
        return sb.toString();
    }
}
