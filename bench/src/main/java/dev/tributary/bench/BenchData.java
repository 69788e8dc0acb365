package dev.tributary.bench;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;

/** Batches and temp directories shared by the benchmarks. */
final class BenchData {
    /** Record value size: 512 bytes plus a 16-byte key, a typical event size. */
    static final int VALUE_SIZE = 512;

    private static final String[] WORDS = {
        "order",
        "created",
        "user",
        "42",
        "eu-west",
        "checkout",
        "sku",
        "price",
        "19.99",
        "EUR",
        "session",
        "click",
        "view",
        "cart",
        "2026-11-22T00:00:00Z",
        "status",
        "ok",
        "retry"
    };

    private BenchData() {}

    /**
     * One batch whose uncompressed size is about {@code targetBytes}, filled with word soup that compresses
     * roughly like JSON events, built with a fixed seed so every run writes the same bytes.
     */
    static ByteBuffer batch(Codec codec, int targetBytes, long timestamp) {
        Random rnd = new Random(42);
        RecordBatchBuilder b = RecordBatchBuilder.create(codec, targetBytes + 1024);
        int i = 0;
        do {
            int valueSize = Math.min(VALUE_SIZE, Math.max(1, targetBytes - 61 - 40));
            StringBuilder sb = new StringBuilder(valueSize + 20);
            while (sb.length() < valueSize) {
                sb.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextBoolean() ? ',' : ' ');
            }
            sb.setLength(valueSize);
            b.append(
                    timestamp + i,
                    String.format("key-%011d", rnd.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8),
                    sb.toString().getBytes(StandardCharsets.UTF_8));
            i++;
        } while (b.uncompressedSizeInBytes() + VALUE_SIZE + 40 <= targetBytes);
        return b.build();
    }

    static Path tempDir(String prefix) throws IOException {
        String base = System.getProperty("bench.dir");
        return base == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(Path.of(base), prefix);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
