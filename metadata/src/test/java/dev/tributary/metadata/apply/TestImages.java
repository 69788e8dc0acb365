package dev.tributary.metadata.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds images for the pure tests: brokers with fixed incarnations, topics with given partition states. */
final class TestImages {

    private TestImages() {}

    static UUID incarnation(int brokerId) {
        return new UUID(0xB0, brokerId);
    }

    static UUID topicId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes());
    }

    static BrokerRegistration broker(int id, boolean fenced, long lastHeartbeatMs) {
        return new BrokerRegistration(
                id, incarnation(id), List.of(new Endpoint("PLAINTEXT", "10.0.0." + id, 9092)), fenced, lastHeartbeatMs);
    }

    /** An image with the given live brokers, heartbeated at time 0. */
    static MetadataImage withLiveBrokers(int... ids) {
        MetadataImage image = MetadataImage.EMPTY;
        for (int id : ids) {
            image = image.withBroker(broker(id, false, 0));
        }
        return image;
    }

    static MetadataImage withTopic(MetadataImage image, String name, PartitionState... partitions) {
        return withTopic(image, name, Map.of(), partitions);
    }

    static MetadataImage withTopic(
            MetadataImage image, String name, Map<String, String> configs, PartitionState... partitions) {
        return image.withTopic(TopicImage.of(name, topicId(name), configs, List.of(partitions)));
    }

    /** A partition with leader epoch 5 and partition epoch 10, to tell bumps from initial values. */
    static PartitionState partition(List<Integer> replicas, List<Integer> isr, int leader) {
        return new PartitionState(replicas, isr, leader, 5, 10, List.of(), List.of());
    }

    static Applied apply(MetadataImage image, MetadataCommand command) {
        return MetadataApplier.apply(image, command);
    }

    /** Applies a command that must be accepted and returns the new image. */
    static MetadataImage applyOk(MetadataImage image, MetadataCommand command) {
        Applied applied = MetadataApplier.apply(image, command);
        assertThat(applied.result().accepted())
                .as("result of %s: %s", command, applied.result())
                .isTrue();
        return applied.image();
    }

    /** Applies a command that must be refused with {@code error}, checks the image did not change, and
     * returns the message. */
    static String applyRefused(MetadataImage image, MetadataCommand command, MetadataError error) {
        Applied applied = MetadataApplier.apply(image, command);
        assertThat(applied.result()).isInstanceOf(CommandResult.Rejected.class);
        CommandResult.Rejected rejected = (CommandResult.Rejected) applied.result();
        assertThat(rejected.error()).as(rejected.message()).isEqualTo(error);
        assertThat(applied.image()).isSameAs(image);
        return rejected.message();
    }

    static PartitionState partitionOf(MetadataImage image, String topic, int index) {
        return image.topic(topic).partition(index);
    }
}
