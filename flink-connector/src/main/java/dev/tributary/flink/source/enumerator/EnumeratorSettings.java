package dev.tributary.flink.source.enumerator;

import java.io.Serializable;
import java.util.Properties;

/**
 * What the enumerator needs from the source's configuration.
 *
 * @param stop null for a source that never stops
 * @param bounded a bounded source resolves a timestamp stop to an offset (or the log end); an unbounded
 *     one with no record yet at the timestamp keeps reading until one arrives
 * @param discoveryIntervalMs {@code <= 0} discovers once
 * @param maxRangeSize cut bounded ranges into pieces of at most this many offsets; {@code <= 0} never
 */
public record EnumeratorSettings(
        Subscription subscription,
        OffsetsInitializer start,
        OffsetsInitializer stop,
        boolean bounded,
        long discoveryIntervalMs,
        long maxRangeSize,
        Properties clientProps,
        String groupId)
        implements Serializable {

    /** With a stop and no discovery, the enumerator can tell readers that no more splits will come. */
    public boolean finite() {
        return stop != null && discoveryIntervalMs <= 0;
    }
}
