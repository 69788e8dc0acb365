package dev.tributary.broker.partition;

import dev.tributary.broker.errors.StorageException;
import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Kafka's {@code partition.metadata} file in a partition's directory: the id of the topic whose data the directory
 * holds ({@code version: 0}, then {@code topic_id: } and the id in Kafka's text form, URL-safe base64 without
 * padding). A cluster node writes it when it first hosts a replica and compares it on every later start, so that a
 * topic deleted and created again under the same name while the node was down never inherits the old data.
 */
public final class PartitionMetadataFile {
    public static final String FILE_NAME = "partition.metadata";

    private PartitionMetadataFile() {}

    /** The topic id recorded in {@code dir}, or empty if there is no file. */
    public static Optional<UUID> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("topic_id:")) {
                    return Optional.of(
                            decode(line.substring("topic_id:".length()).trim()));
                }
            }
            throw new StorageException(file + " has no topic_id line", null);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code topicId} in {@code dir}, atomically. */
    public static void write(Path dir, UUID topicId) {
        String text = "version: 0\ntopic_id: " + encode(topicId) + "\n";
        try {
            AtomicFile.write(dir.resolve(FILE_NAME), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
        } catch (IOException e) {
            throw new StorageException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Kafka's {@code Uuid.toString()}: the 16 bytes in URL-safe base64 without padding. */
    static String encode(UUID id) {
        ByteBuffer b =
                ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    static UUID decode(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("topic id '" + text + "' is not 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new UUID(b.getLong(), b.getLong());
    }
}
