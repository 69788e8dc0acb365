package dev.tributary.broker.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one table from exceptions to Kafka error codes. Everything behind the protocol adapter throws
 * our own exception types; this is the only place that knows what a client sees for each.
 *
 * <p>Lookup walks the class hierarchy, so a row for a base class covers its subclasses. Exceptions
 * from kafka-clients itself ({@link ApiException}) keep their own code. Anything else is
 * {@code UNKNOWN_SERVER_ERROR}.
 */
public final class ErrorCodes {
    private static final Map<Class<?>, Errors> TABLE = new LinkedHashMap<>();

    static {
        // broker-level
        row(dev.tributary.broker.errors.UnknownTopicOrPartitionException.class, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        row(dev.tributary.broker.errors.TopicExistsException.class, Errors.TOPIC_ALREADY_EXISTS);
        row(dev.tributary.broker.errors.InvalidTopicException.class, Errors.INVALID_TOPIC_EXCEPTION);
        row(dev.tributary.broker.errors.InvalidPartitionsException.class, Errors.INVALID_PARTITIONS);
        row(dev.tributary.broker.errors.InvalidReplicationFactorException.class, Errors.INVALID_REPLICATION_FACTOR);
        row(dev.tributary.broker.errors.InvalidReplicaAssignmentException.class, Errors.INVALID_REPLICA_ASSIGNMENT);
        row(dev.tributary.broker.errors.InvalidConfigException.class, Errors.INVALID_CONFIG);
        row(dev.tributary.broker.errors.InvalidRequestException.class, Errors.INVALID_REQUEST);
        row(dev.tributary.broker.errors.InvalidRequiredAcksException.class, Errors.INVALID_REQUIRED_ACKS);
        row(dev.tributary.broker.errors.OffsetOutOfRangeException.class, Errors.OFFSET_OUT_OF_RANGE);
        row(dev.tributary.broker.errors.StorageException.class, Errors.KAFKA_STORAGE_ERROR);
        // core-log
        row(dev.tributary.log.ConfigException.class, Errors.INVALID_CONFIG);
        row(dev.tributary.log.CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
        row(dev.tributary.log.RecordTooLargeException.class, Errors.MESSAGE_TOO_LARGE);
        row(dev.tributary.log.InvalidRecordException.class, Errors.INVALID_RECORD);
        row(dev.tributary.log.OffsetOutOfRangeException.class, Errors.OFFSET_OUT_OF_RANGE);
        // groups and idempotent producers (dev.tributary.broker.group / .producer) add their rows here
        row(dev.tributary.broker.producer.OutOfOrderSequenceException.class, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        row(dev.tributary.broker.producer.InvalidProducerEpochException.class, Errors.INVALID_PRODUCER_EPOCH);
    }

    private ErrorCodes() {
    }

    private static void row(Class<? extends Throwable> exceptionClass, Errors error) {
        TABLE.put(exceptionClass, error);
    }

    public static Errors of(Throwable t) {
        if (t instanceof ApiException) {
            return Errors.forException(t);
        }
        for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Errors e = TABLE.get(c);
            if (e != null) {
                return e;
            }
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The Kafka exception a generated error response is built from, carrying our message. */
    public static ApiException toApiException(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        return of(t).exception(t.getMessage());
    }

    public static short code(Throwable t) {
        return of(t).code();
    }
}
