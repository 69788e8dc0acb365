package dev.tributary.metadata.image;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The whole cluster metadata at one point of the metadata log: an immutable value.
 *
 * <p>{@code offset} and {@code epoch} are the index and term of the last Raft log entry applied to it
 * (0 and 0 for the empty image). {@code nextProducerId} is the first producer id of the next block handed
 * out; {@code nextSchemaId} the next schema id the registry gets.
 *
 * <p>Every change makes a new image that shares the unchanged brokers, topics and partitions with the old
 * one; maps are copied, which is cheap at metadata sizes (thousands of entries, changed a few times a
 * second). Readers hold an image as long as they like; nothing in it ever changes.
 */
public record MetadataImage(
        long offset,
        long epoch,
        SortedMap<Integer, BrokerRegistration> brokers,
        SortedMap<String, TopicImage> topics,
        long nextProducerId,
        long nextSchemaId) {

    /** Producer ids are handed to brokers in blocks of this many, as Kafka does. */
    public static final int PRODUCER_ID_BLOCK_SIZE = 1000;
    /** The first schema id the registry gets from an empty image. */
    public static final long FIRST_SCHEMA_ID = 1;

    public static final MetadataImage EMPTY =
            new MetadataImage(0, 0, new TreeMap<>(), new TreeMap<>(), 0, FIRST_SCHEMA_ID);

    public MetadataImage {
        brokers = Collections.unmodifiableSortedMap(new TreeMap<>(brokers));
        topics = Collections.unmodifiableSortedMap(new TreeMap<>(topics));
    }

    /** The broker, or null if none with that id ever registered. */
    public BrokerRegistration broker(int brokerId) {
        return brokers.get(brokerId);
    }

    /** The topic, or null. */
    public TopicImage topic(String name) {
        return topics.get(name);
    }

    /** A live broker is registered and not fenced: it may lead and be in an ISR. */
    public boolean isLive(int brokerId) {
        BrokerRegistration b = brokers.get(brokerId);
        return b != null && !b.fenced();
    }

    public IntPredicate liveBrokers() {
        return this::isLive;
    }

    public MetadataImage withOffset(long newOffset, long newEpoch) {
        return new MetadataImage(newOffset, newEpoch, brokers, topics, nextProducerId, nextSchemaId);
    }

    public MetadataImage withBroker(BrokerRegistration broker) {
        TreeMap<Integer, BrokerRegistration> copy = new TreeMap<>(brokers);
        copy.put(broker.id(), broker);
        return new MetadataImage(offset, epoch, copy, topics, nextProducerId, nextSchemaId);
    }

    public MetadataImage withTopic(TopicImage topic) {
        TreeMap<String, TopicImage> copy = new TreeMap<>(topics);
        copy.put(topic.name(), topic);
        return new MetadataImage(offset, epoch, brokers, copy, nextProducerId, nextSchemaId);
    }

    public MetadataImage withTopics(SortedMap<String, TopicImage> newTopics) {
        return new MetadataImage(offset, epoch, brokers, newTopics, nextProducerId, nextSchemaId);
    }

    public MetadataImage withoutTopic(String name) {
        TreeMap<String, TopicImage> copy = new TreeMap<>(topics);
        copy.remove(name);
        return new MetadataImage(offset, epoch, brokers, copy, nextProducerId, nextSchemaId);
    }

    public MetadataImage withNextProducerId(long next) {
        return new MetadataImage(offset, epoch, brokers, topics, next, nextSchemaId);
    }

    public MetadataImage withNextSchemaId(long next) {
        return new MetadataImage(offset, epoch, brokers, topics, nextProducerId, next);
    }

    /** True if the two images hold the same metadata, whatever log offset each was stamped with. */
    public boolean sameContentAs(MetadataImage other) {
        return brokers.equals(other.brokers)
                && topics.equals(other.topics)
                && nextProducerId == other.nextProducerId
                && nextSchemaId == other.nextSchemaId;
    }
}
