package dev.tributary.metadata.codec;

import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.DeleteTopic;
import dev.tributary.metadata.command.MetadataCommand.ElectLeader;
import dev.tributary.metadata.command.MetadataCommand.ElectionType;
import dev.tributary.metadata.command.MetadataCommand.ExpireBrokerSessions;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.ReassignPartition;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.command.MetadataCommand.UpdateTopicConfig;
import dev.tributary.metadata.image.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a metadata log entry: one command.
 *
 * <pre>
 *   0      1      2
 *   +------+------+---------------------------+
 *   | ver  | type | fields of the type (v1)   |
 *   +------+------+---------------------------+
 * </pre>
 *
 * <p>{@code ver} is the format version ({@value #VERSION} today). A reader refuses a version it does not
 * know rather than guessing, so a node never applies an entry it misreads. When a field is added, the
 * version goes up and {@link #decode} keeps a branch for every older version (the log holds entries written
 * by older nodes until a snapshot covers them). Type codes never change meaning; see {@link #typeCode}.
 */
public final class CommandCodec {

    public static final int VERSION = 1;
    private static final String WHAT = "metadata command";

    private CommandCodec() {}

    /** The type byte of each command; a code is never reused for another command. */
    static int typeCode(MetadataCommand c) {
        if (c instanceof RegisterBroker) {
            return 1;
        } else if (c instanceof BrokerHeartbeat) {
            return 2;
        } else if (c instanceof FenceBroker) {
            return 3;
        } else if (c instanceof UnfenceBroker) {
            return 4;
        } else if (c instanceof ExpireBrokerSessions) {
            return 5;
        } else if (c instanceof CreateTopic) {
            return 6;
        } else if (c instanceof DeleteTopic) {
            return 7;
        } else if (c instanceof CreatePartitions) {
            return 8;
        } else if (c instanceof AlterPartition) {
            return 9;
        } else if (c instanceof ElectLeader) {
            return 10;
        } else if (c instanceof ReassignPartition) {
            return 11;
        } else if (c instanceof AllocateProducerIds) {
            return 12;
        } else if (c instanceof AllocateSchemaIds) {
            return 13;
        } else if (c instanceof UpdateTopicConfig) {
            return 14;
        }
        throw new IllegalArgumentException(
                "no type code for command " + c.getClass().getName());
    }

    public static byte[] encode(MetadataCommand command) {
        WireWriter w = new WireWriter().int8(VERSION).int8(typeCode(command));
        if (command instanceof RegisterBroker c) {
            w.int32(c.brokerId()).uuid(c.incarnationId());
            writeEndpoints(w, c.endpoints());
            w.int64(c.nowMs());
        } else if (command instanceof BrokerHeartbeat c) {
            w.int32(c.brokerId()).uuid(c.incarnationId()).int64(c.nowMs());
        } else if (command instanceof FenceBroker c) {
            w.int32(c.brokerId());
        } else if (command instanceof UnfenceBroker c) {
            w.int32(c.brokerId()).uuid(c.incarnationId()).int64(c.nowMs());
        } else if (command instanceof ExpireBrokerSessions c) {
            w.int64(c.sessionTimeoutMs()).int64(c.nowMs());
        } else if (command instanceof CreateTopic c) {
            w.string(c.name()).uuid(c.topicId());
            writeAssignment(w, c.assignment());
            w.stringMap(c.configs());
        } else if (command instanceof DeleteTopic c) {
            w.string(c.name());
        } else if (command instanceof CreatePartitions c) {
            w.string(c.topic());
            writeAssignment(w, c.newAssignments());
        } else if (command instanceof AlterPartition c) {
            w.string(c.topic())
                    .uuid(c.topicId())
                    .int32(c.partition())
                    .int32(c.leaderId())
                    .int32(c.leaderEpoch())
                    .int32(c.partitionEpoch())
                    .intList(c.newIsr());
        } else if (command instanceof ElectLeader c) {
            w.string(c.topic()).int32(c.partition()).int8(c.type().ordinal());
        } else if (command instanceof ReassignPartition c) {
            w.string(c.topic()).int32(c.partition()).intList(c.targetReplicas());
        } else if (command instanceof AllocateProducerIds c) {
            w.int32(c.brokerId()).int64(c.minimumFirstId());
        } else if (command instanceof AllocateSchemaIds c) {
            w.int32(c.count()).int64(c.minimumFirstId());
        } else if (command instanceof UpdateTopicConfig c) {
            w.string(c.topic()).stringMap(c.set()).stringList(c.remove());
        }
        return w.toByteArray();
    }

    public static MetadataCommand decode(byte[] bytes) {
        WireReader r = new WireReader(WHAT, bytes);
        int version = r.int8();
        MetadataCommand command = switch (version) {
            case 1 -> decodeV1(r);
            default ->
                throw new MetadataFormatException(WHAT + ": format version " + version
                        + " is unknown; this build reads version " + VERSION + " and older");
        };
        r.expectEnd();
        return command;
    }

    private static MetadataCommand decodeV1(WireReader r) {
        int type = r.int8();
        return switch (type) {
            case 1 -> new RegisterBroker(r.int32(), r.uuid(), readEndpoints(r), r.int64());
            case 2 -> new BrokerHeartbeat(r.int32(), r.uuid(), r.int64());
            case 3 -> new FenceBroker(r.int32());
            case 4 -> new UnfenceBroker(r.int32(), r.uuid(), r.int64());
            case 5 -> {
                long timeout = r.int64();
                if (timeout <= 0) {
                    throw r.corrupt("session timeout " + timeout + " is not positive");
                }
                yield new ExpireBrokerSessions(timeout, r.int64());
            }
            case 6 -> new CreateTopic(r.string(), r.uuid(), readAssignment(r), r.stringMap());
            case 7 -> new DeleteTopic(r.string());
            case 8 -> new CreatePartitions(r.string(), readAssignment(r));
            case 9 -> new AlterPartition(r.string(), r.uuid(), r.int32(), r.int32(), r.int32(), r.int32(), r.intList());
            case 10 -> new ElectLeader(r.string(), r.int32(), electionType(r));
            case 11 -> new ReassignPartition(r.string(), r.int32(), r.intList());
            case 12 -> new AllocateProducerIds(r.int32(), r.int64());
            case 13 -> new AllocateSchemaIds(r.int32(), r.int64());
            case 14 -> new UpdateTopicConfig(r.string(), r.stringMap(), r.stringList());
            default -> throw r.corrupt("command type " + type + " is unknown");
        };
    }

    private static ElectionType electionType(WireReader r) {
        int ordinal = r.int8();
        ElectionType[] types = ElectionType.values();
        if (ordinal < 0 || ordinal >= types.length) {
            throw r.corrupt("election type " + ordinal + " is unknown");
        }
        return types[ordinal];
    }

    static void writeEndpoints(WireWriter w, List<Endpoint> endpoints) {
        w.int32(endpoints.size());
        for (Endpoint e : endpoints) {
            w.string(e.listener()).string(e.host()).int32(e.port());
        }
    }

    static List<Endpoint> readEndpoints(WireReader r) {
        int n = r.count("endpoint count", 12);
        List<Endpoint> endpoints = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String listener = r.string();
            String host = r.string();
            int port = r.int32();
            try {
                endpoints.add(new Endpoint(listener, host, port));
            } catch (IllegalArgumentException e) {
                throw r.corrupt(e.getMessage());
            }
        }
        return endpoints;
    }

    private static void writeAssignment(WireWriter w, List<List<Integer>> assignment) {
        w.int32(assignment.size());
        assignment.forEach(w::intList);
    }

    private static List<List<Integer>> readAssignment(WireReader r) {
        int n = r.count("partition count", 4);
        List<List<Integer>> assignment = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            assignment.add(r.intList());
        }
        return assignment;
    }
}
