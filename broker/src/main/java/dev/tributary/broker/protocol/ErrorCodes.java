package dev.tributary.broker.protocol;

import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.errors.InvalidPartitionsException;
import dev.tributary.broker.errors.InvalidReplicaAssignmentException;
import dev.tributary.broker.errors.InvalidReplicationFactorException;
import dev.tributary.broker.errors.InvalidRequestException;
import dev.tributary.broker.errors.InvalidRequiredAcksException;
import dev.tributary.broker.errors.InvalidTopicException;
import dev.tributary.broker.errors.MetadataRejectedException;
import dev.tributary.broker.errors.NoReassignmentInProgressException;
import dev.tributary.broker.errors.NotEnoughReplicasAfterAppendException;
import dev.tributary.broker.errors.NotEnoughReplicasException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.ReplicaFetchException;
import dev.tributary.broker.errors.ReplicationTimeoutException;
import dev.tributary.broker.errors.StorageException;
import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.group.GroupError;
import dev.tributary.broker.producer.InvalidProducerEpochException;
import dev.tributary.broker.producer.OutOfOrderSequenceException;
import dev.tributary.log.ConfigException;
import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.InvalidRecordException;
import dev.tributary.log.LogException;
import dev.tributary.log.LogStorageException;
import dev.tributary.log.OffsetOutOfRangeException;
import dev.tributary.log.RecordTooLargeException;
import dev.tributary.log.UnexpectedAppendOffsetException;
import dev.tributary.log.epoch.CheckpointFormatException;
import dev.tributary.log.index.CorruptIndexException;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.quorum.QuorumUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one table from what goes wrong to the Kafka error code a client sees. Everything behind the protocol
 * adapter throws our own exception types ({@code BrokerException} subclasses, core-log's
 * {@link LogException} family) or returns an outcome enum ({@link GroupError}); only this class knows the
 * code for each, and no API writes a numeric code.
 *
 * <ul>
 *   <li>Exceptions: one row per class, looked up along the class hierarchy, so a row for a base class is
 *       the fallback of subclasses that have none ({@code ErrorCodesTest} insists every concrete
 *       {@code BrokerException} and {@code LogException} has its own). Exceptions of kafka-clients itself
 *       ({@link ApiException}) keep their code. Anything else is {@code UNKNOWN_SERVER_ERROR}.</li>
 *   <li>Storage: a failed write or read of the data directory ({@link IOException}, {@link UncheckedIOException},
 *       a core-log {@link LogException} without a more specific row, {@link StorageException}) is
 *       {@code KAFKA_STORAGE_ERROR}, as in Kafka; the client retries, and the message it gets names the
 *       partition and the reason but no server path ({@link #message}).</li>
 *   <li>{@link GroupError}: by name, each constant is the Kafka error of the same name.</li>
 *   <li>{@link MetadataError} (a command refused by the cluster metadata quorum, thrown as
 *       {@link MetadataRejectedException}): one row per constant. A quorum that does not answer in time
 *       ({@link QuorumUnavailableException}) is {@code REQUEST_TIMED_OUT}, which clients retry.</li>
 * </ul>
 */
public final class ErrorCodes {
    private static final Map<Class<? extends Throwable>, Errors> TABLE = new LinkedHashMap<>();
    private static final Map<MetadataError, Errors> METADATA = new EnumMap<>(MetadataError.class);

    static {
        // broker
        row(UnknownTopicOrPartitionException.class, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        row(TopicExistsException.class, Errors.TOPIC_ALREADY_EXISTS);
        row(InvalidTopicException.class, Errors.INVALID_TOPIC_EXCEPTION);
        row(InvalidPartitionsException.class, Errors.INVALID_PARTITIONS);
        row(InvalidReplicationFactorException.class, Errors.INVALID_REPLICATION_FACTOR);
        row(InvalidReplicaAssignmentException.class, Errors.INVALID_REPLICA_ASSIGNMENT);
        row(InvalidConfigException.class, Errors.INVALID_CONFIG);
        row(InvalidRequestException.class, Errors.INVALID_REQUEST);
        row(InvalidRequiredAcksException.class, Errors.INVALID_REQUIRED_ACKS);
        row(StorageException.class, Errors.KAFKA_STORAGE_ERROR);
        row(NotLeaderOrFollowerException.class, Errors.NOT_LEADER_OR_FOLLOWER);
        row(NoReassignmentInProgressException.class, Errors.NO_REASSIGNMENT_IN_PROGRESS);
        row(ReplicationTimeoutException.class, Errors.REQUEST_TIMED_OUT);
        // replication: leader epochs, acks=all, and a follower's requests to its leader
        row(FencedLeaderEpochException.class, Errors.FENCED_LEADER_EPOCH);
        row(UnknownLeaderEpochException.class, Errors.UNKNOWN_LEADER_EPOCH);
        row(NotEnoughReplicasException.class, Errors.NOT_ENOUGH_REPLICAS);
        row(NotEnoughReplicasAfterAppendException.class, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        // the code comes from the error name it carries (of below); this row is for names Kafka does not know
        row(ReplicaFetchException.class, Errors.UNKNOWN_SERVER_ERROR);
        // the cluster metadata quorum: the code comes from the refusal's MetadataError (METADATA below)
        row(MetadataRejectedException.class, Errors.UNKNOWN_SERVER_ERROR);
        row(QuorumUnavailableException.class, Errors.REQUEST_TIMED_OUT);
        // idempotent producers
        row(OutOfOrderSequenceException.class, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        row(InvalidProducerEpochException.class, Errors.INVALID_PRODUCER_EPOCH);
        // core-log: bad input is the client's error; anything else it raises is the disk's
        row(CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
        row(RecordTooLargeException.class, Errors.MESSAGE_TOO_LARGE);
        row(InvalidRecordException.class, Errors.INVALID_RECORD);
        row(UnexpectedAppendOffsetException.class, Errors.INVALID_RECORD); // a follower's fetch; never to clients
        row(OffsetOutOfRangeException.class, Errors.OFFSET_OUT_OF_RANGE);
        row(UnexpectedAppendOffsetException.class, Errors.UNKNOWN_SERVER_ERROR); // a follower's fetcher, not a client
        row(CorruptIndexException.class, Errors.KAFKA_STORAGE_ERROR);
        row(LogStorageException.class, Errors.KAFKA_STORAGE_ERROR);
        row(CheckpointFormatException.class, Errors.KAFKA_STORAGE_ERROR);
        row(LogException.class, Errors.KAFKA_STORAGE_ERROR);
        row(ConfigException.class, Errors.INVALID_CONFIG);
        // the JDK's I/O failures, e.g. no space left on device while appending
        row(UncheckedIOException.class, Errors.KAFKA_STORAGE_ERROR);
        row(IOException.class, Errors.KAFKA_STORAGE_ERROR);

        // refusals of the metadata quorum; the brokers' own lifecycle errors never reach a client
        metadata(MetadataError.UNKNOWN_BROKER, Errors.BROKER_ID_NOT_REGISTERED);
        metadata(MetadataError.STALE_BROKER_INCARNATION, Errors.STALE_BROKER_EPOCH);
        metadata(MetadataError.TOPIC_ALREADY_EXISTS, Errors.TOPIC_ALREADY_EXISTS);
        metadata(MetadataError.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        metadata(MetadataError.UNKNOWN_TOPIC_ID, Errors.UNKNOWN_TOPIC_ID);
        metadata(MetadataError.INVALID_TOPIC_EXCEPTION, Errors.INVALID_TOPIC_EXCEPTION);
        metadata(MetadataError.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT);
        metadata(MetadataError.INVALID_PARTITIONS, Errors.INVALID_PARTITIONS);
        metadata(MetadataError.INVALID_REPLICATION_FACTOR, Errors.INVALID_REPLICATION_FACTOR);
        metadata(MetadataError.FENCED_LEADER_EPOCH, Errors.FENCED_LEADER_EPOCH);
        metadata(MetadataError.NOT_LEADER_OR_FOLLOWER, Errors.NOT_LEADER_OR_FOLLOWER);
        metadata(MetadataError.INVALID_UPDATE_VERSION, Errors.INVALID_UPDATE_VERSION);
        metadata(MetadataError.INELIGIBLE_REPLICA, Errors.INELIGIBLE_REPLICA);
        metadata(MetadataError.INVALID_REQUEST, Errors.INVALID_REQUEST);
        metadata(MetadataError.ELECTION_NOT_NEEDED, Errors.ELECTION_NOT_NEEDED);
        metadata(MetadataError.PREFERRED_LEADER_NOT_AVAILABLE, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        metadata(MetadataError.ELIGIBLE_LEADERS_NOT_AVAILABLE, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        metadata(MetadataError.ID_SPACE_EXHAUSTED, Errors.UNKNOWN_SERVER_ERROR);
    }

    private ErrorCodes() {}

    private static void row(Class<? extends Throwable> exceptionClass, Errors error) {
        TABLE.put(exceptionClass, error);
    }

    private static void metadata(MetadataError refusal, Errors error) {
        METADATA.put(refusal, error);
    }

    /** The metadata rows, for the test that checks every {@link MetadataError} has one. */
    static Map<MetadataError, Errors> metadataRows() {
        return Collections.unmodifiableMap(METADATA);
    }

    /** The Kafka error of a refusal of the metadata quorum. */
    public static Errors of(MetadataError refusal) {
        return METADATA.getOrDefault(refusal, Errors.UNKNOWN_SERVER_ERROR);
    }

    /** The rows, for the test that checks every exception type has one. */
    static Map<Class<? extends Throwable>, Errors> rows() {
        return Collections.unmodifiableMap(TABLE);
    }

    public static Errors of(Throwable t) {
        if (t instanceof ApiException) {
            return Errors.forException(t);
        }
        if (t instanceof MetadataRejectedException m) {
            return of(m.error());
        }
        if (t instanceof ReplicaFetchException r) {
            return byName(r.errorName());
        }
        for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Errors e = TABLE.get(c);
            if (e != null) {
                return e;
            }
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    public static short code(Throwable t) {
        return of(t).code();
    }

    private static Errors byName(String name) {
        try {
            return Errors.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
    }

    /**
     * The reverse of {@link #of(Throwable)}, for a follower that reads error codes in its leader's answers: the
     * exception of this broker (or core-log) for {@code code} where there is one, so that the follower catches the
     * same types a local call throws; any other code is a {@link ReplicaFetchException} carrying the error's
     * name. {@code of(exceptionFor(c, ...))} is {@code c} again for every Kafka error but {@code NONE}.
     *
     * <p>{@code OFFSET_OUT_OF_RANGE} is core-log's {@link OffsetOutOfRangeException}, whose bounds are not in an
     * error code: its requested offset and bounds are -1 here. A caller that knows them (a fetch answer carries
     * the leader's log start offset) builds the exception itself.
     *
     * @param code a Kafka error code other than {@code NONE}
     * @param message what the exception says: which partition on which broker
     */
    public static RuntimeException exceptionFor(short code, String message) {
        return exceptionFor(code, null, message);
    }

    /**
     * As {@link #exceptionFor(short, String)}, with the address of the broker that answered, which a
     * {@link ReplicaFetchException} carries (the message should name it too, for the other types).
     */
    public static RuntimeException exceptionFor(short code, String address, String message) {
        Errors error = Errors.forCode(code);
        switch (error) {
            case NONE:
                throw new IllegalArgumentException("error code 0 (NONE) is not an error: " + message);
            case NOT_LEADER_OR_FOLLOWER:
                return new NotLeaderOrFollowerException(message);
            case FENCED_LEADER_EPOCH:
                return new FencedLeaderEpochException(message);
            case UNKNOWN_LEADER_EPOCH:
                return new UnknownLeaderEpochException(message);
            case UNKNOWN_TOPIC_OR_PARTITION:
                return new UnknownTopicOrPartitionException(message);
            case NOT_ENOUGH_REPLICAS:
                return new NotEnoughReplicasException(message);
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND:
                return new NotEnoughReplicasAfterAppendException(message);
            case OFFSET_OUT_OF_RANGE:
                return new OffsetOutOfRangeException(message, -1, -1, -1);
            case KAFKA_STORAGE_ERROR:
                return new StorageException(message, null);
            case INVALID_REQUEST:
                return new InvalidRequestException(message);
            default:
                // Errors.forCode answers UNKNOWN_SERVER_ERROR for a code it does not know: keep the number
                String name = error == Errors.UNKNOWN_SERVER_ERROR && code != Errors.UNKNOWN_SERVER_ERROR.code()
                        ? "UNKNOWN_SERVER_ERROR(" + code + ")"
                        : error.name();
                return new ReplicaFetchException(name, address, message);
        }
    }

    /** A group outcome's code: the Kafka error of the same name. */
    public static Errors of(GroupError e) {
        return Errors.valueOf(e.name());
    }

    public static short code(GroupError e) {
        return of(e).code();
    }

    /**
     * The message a client sees with {@link #of}'s code. Storage errors say where and why but not which
     * file, since their own text names server paths (the broker log keeps the full exception); everything
     * else keeps its message.
     *
     * @param where the partition (or other resource) the request was about, or null
     */
    public static String message(Throwable t, String where) {
        if (of(t) != Errors.KAFKA_STORAGE_ERROR) {
            return t.getMessage();
        }
        return "Storage error" + (where == null ? "" : " on " + where) + ": " + reason(t)
                + " (the broker log has the details)";
    }

    /** The deepest I/O failure's message when it names no path (e.g. "No space left on device"), else its type. */
    private static String reason(Throwable t) {
        Throwable io = null;
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof IOException) {
                io = c;
            }
        }
        Throwable r = io != null ? io : t;
        String m = r.getMessage();
        return m == null || m.contains("/") || m.contains("\\") ? r.getClass().getSimpleName() : m;
    }

    /** The Kafka exception a generated error response is built from, carrying the message of {@link #message}. */
    public static ApiException toApiException(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        return of(t).exception(message(t, null));
    }
}
