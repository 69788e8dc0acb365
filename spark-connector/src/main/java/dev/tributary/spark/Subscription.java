package dev.tributary.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** Which partitions a query reads: exactly one of {@code subscribe}, {@code subscribePattern}, {@code assign}. */
public sealed interface Subscription extends Serializable {
    record Topics(List<String> topics) implements Subscription {}

    record Pattern(String regex) implements Subscription {}

    record Assign(List<TopicPartition> partitions) implements Subscription {}
}
