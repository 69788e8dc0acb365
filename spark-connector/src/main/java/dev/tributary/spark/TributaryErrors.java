package dev.tributary.spark;

import org.apache.kafka.common.TopicPartition;

/**
 * The single factory for the connector's errors. Each identifier is stable and documented here:
 *
 * <table>
 *   <caption>error identifiers</caption>
 *   <tr><th>identifier</th><th>meaning</th></tr>
 *   <tr><td>TRIBUTARY_INVALID_OPTION</td><td>an option is missing, malformed or conflicts with another</td></tr>
 *   <tr><td>TRIBUTARY_DATA_LOSS</td><td>offsets a query was going to read are gone (retention, deleted
 *       records, deleted partition, recreated topic) and {@code failOnDataLoss} is true; the cases are
 *       listed in {@code offsets.DataLossPolicy}</td></tr>
 *   <tr><td>TRIBUTARY_NO_OFFSET_FOR_TIMESTAMP</td><td>a starting timestamp matches no record and the
 *       strategy is {@code error}</td></tr>
 *   <tr><td>TRIBUTARY_FETCH_TIMEOUT</td><td>a reader could not reach the end of its offset range within
 *       {@code pollTimeoutMs}</td></tr>
 *   <tr><td>TRIBUTARY_INVALID_WRITE_SCHEMA</td><td>a column written has a type the sink cannot serialize,
 *       or no topic is given</td></tr>
 *   <tr><td>TRIBUTARY_WRITE_FAILED</td><td>the broker did not acknowledge records of a write task</td></tr>
 *   <tr><td>TRIBUTARY_BROKER_REQUEST_FAILED</td><td>a metadata or offset request to the broker failed</td></tr>
 *   <tr><td>TRIBUTARY_INVALID_OFFSET_JSON</td><td>a streaming checkpoint offset cannot be read (unknown
 *       version or malformed)</td></tr>
 * </table>
 */
public final class TributaryErrors {
    public static final String INVALID_OPTION = "TRIBUTARY_INVALID_OPTION";
    public static final String DATA_LOSS = "TRIBUTARY_DATA_LOSS";
    public static final String NO_OFFSET_FOR_TIMESTAMP = "TRIBUTARY_NO_OFFSET_FOR_TIMESTAMP";
    public static final String FETCH_TIMEOUT = "TRIBUTARY_FETCH_TIMEOUT";
    public static final String INVALID_WRITE_SCHEMA = "TRIBUTARY_INVALID_WRITE_SCHEMA";
    public static final String WRITE_FAILED = "TRIBUTARY_WRITE_FAILED";
    public static final String BROKER_REQUEST_FAILED = "TRIBUTARY_BROKER_REQUEST_FAILED";
    public static final String INVALID_OFFSET_JSON = "TRIBUTARY_INVALID_OFFSET_JSON";

    private TributaryErrors() {}

    public static TributaryException invalidOption(String option, String value, String why) {
        return new TributaryException(
                INVALID_OPTION,
                "option '" + option + "'" + (value == null ? "" : " = '" + value + "'") + ": " + why,
                null);
    }

    public static TributaryException dataLoss(TopicPartition tp, long wanted, long available, String what) {
        return new TributaryException(
                DATA_LOSS,
                tp + ": offsets [" + wanted + ", " + available + ") are no longer available (" + what
                        + "). Set failOnDataLoss=false to skip lost offsets and continue.",
                null);
    }

    public static TributaryException partitionLost(TopicPartition tp) {
        return new TributaryException(
                DATA_LOSS, tp + " no longer exists. Set failOnDataLoss=false to ignore deleted partitions.", null);
    }

    public static TributaryException offsetsWentBackwards(TopicPartition tp, long position, long logEnd) {
        return new TributaryException(
                DATA_LOSS,
                tp + ": the log now ends at offset " + logEnd + ", before the query's position " + position
                        + " (was the topic deleted and created again?). Set failOnDataLoss=false to continue at "
                        + logEnd
                        + ".",
                null);
    }

    public static TributaryException noOffsetForTimestamp(TopicPartition tp, long timestamp) {
        return new TributaryException(
                NO_OFFSET_FOR_TIMESTAMP,
                tp + " has no record with timestamp >= " + timestamp
                        + " (set startingOffsetsByTimestampStrategy=latest to start at the end instead)",
                null);
    }

    public static TributaryException fetchTimeout(TopicPartition tp, long position, long until, long timeoutMs) {
        return new TributaryException(
                FETCH_TIMEOUT,
                tp + ": stuck at offset " + position + " before " + until + " after " + timeoutMs
                        + " ms (pollTimeoutMs)",
                null);
    }

    public static TributaryException invalidWriteSchema(String column, String why) {
        return new TributaryException(INVALID_WRITE_SCHEMA, "column '" + column + "': " + why, null);
    }

    public static TributaryException writeFailed(String topic, long failed, Throwable cause) {
        return new TributaryException(
                WRITE_FAILED, failed + " record(s) to topic '" + topic + "' were not acknowledged: " + cause, cause);
    }

    public static TributaryException brokerRequestFailed(String what, Throwable cause) {
        return new TributaryException(BROKER_REQUEST_FAILED, what + ": " + cause, cause);
    }

    public static TributaryException invalidOffsetJson(String json, String why) {
        return new TributaryException(INVALID_OFFSET_JSON, why + ": " + json, null);
    }
}
