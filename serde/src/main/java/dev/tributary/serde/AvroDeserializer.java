package dev.tributary.serde;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} for Avro. It reads both framings, told apart by the first byte (0x00 Confluent,
 * C3 01 single-object), so a topic can migrate from one to the other. The data model (generic, specific,
 * reflect) and an optional reader schema for evolution come from {@link AvroSerdeConfig}.
 *
 * <p>Bad input: null is a tombstone and returns null; an unknown first byte, an unknown id or fingerprint,
 * a truncated or corrupt body, or bytes left over after the datum throw {@link AvroSerdeException} naming the
 * topic and the first bytes (the consumer adds partition and offset).
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The client given to the constructor or {@link #useClient}, else the one the first configure made. */
    private RegistryClient client;
    /** Null until {@link #configure}. */
    private SerdeContext context;

    private final Map<Integer, IdReader<T>> byId = new ConcurrentHashMap<>();
    private final Map<Long, BinaryMessageDecoder<T>> byFingerprint = new ConcurrentHashMap<>();
    /** The last id's reader: most topics carry one schema, so this skips the boxed map lookup. */
    private volatile IdReader<T> last;
    /**
     * The scratch of the thread that called last: a consumer polls on one thread, so the steady state is an
     * identity compare with {@code Thread.currentThread()} instead of a {@link ThreadLocal} hash lookup. Racy
     * on purpose: a thread uses it only if it owns it (a final field), otherwise it takes its own from
     * {@link #SCRATCH}, so no two threads ever share a decoder.
     */
    private Scratch scratch;

    /** For Kafka's reflective construction; {@link #configure} supplies the registry URL. */
    public AvroDeserializer() {}

    /** With a given client (shared caches, tests, benchmarks); {@link #configure} is still required. */
    public AvroDeserializer(RegistryClient client) {
        this.client = client;
    }

    /** Uses {@code shared} instead of making a client at {@link #configure} (how {@link AvroSerde} shares one). */
    void useClient(RegistryClient shared) {
        this.client = shared;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        context = SerdeContext.configure(configs, isKey, client);
        client = context.client();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (context == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length > 0 && data[0] == ConfluentFraming.MAGIC) {
            return readConfluent(topic, data);
        }
        if (SingleObjectFraming.hasMarker(data)) {
            return readSingleObject(topic, data);
        }
        String seen = data.length == 0 ? "an empty array" : String.format("magic byte 0x%02X", data[0] & 0xFF);
        throw error(
                topic,
                data,
                "unknown framing: " + seen
                        + " (expected 0x00 for Confluent framing or C3 01 for Avro single-object encoding)",
                null);
    }

    private T readConfluent(String topic, byte[] data) {
        if (data.length < ConfluentFraming.HEADER_LENGTH) {
            throw error(topic, data, "shorter than the 5-byte Confluent header", null);
        }
        int id = ConfluentFraming.readId(data);
        IdReader<T> reader = last;
        if (reader == null || reader.id != id) {
            reader = byId.get(id);
            if (reader == null) {
                reader = byId.computeIfAbsent(id, i -> newIdReader(topic, data, i));
            }
            last = reader;
        }
        Scratch s = scratch();
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(
                        data, ConfluentFraming.BODY_OFFSET, data.length - ConfluentFraming.BODY_OFFSET, s.decoder);
        s.decoder = decoder;
        try {
            T value = reader.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw error(
                        topic,
                        data,
                        "bytes left over after the datum of schema id " + id + " (wrong schema or corrupt body)",
                        null);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AvroSerdeException a) {
                throw a;
            }
            throw error(topic, data, "corrupt Avro body for schema id " + id + ": " + e, e);
        }
    }

    private Scratch scratch() {
        Scratch s = scratch;
        if (s == null || s.owner != Thread.currentThread()) {
            s = SCRATCH.get();
            scratch = s;
        }
        return s;
    }

    private IdReader<T> newIdReader(String topic, byte[] data, int id) {
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (RegistryClientException e) {
            throw error(topic, data, "schema id " + id + " not readable from the registry: " + e.getMessage(), e);
        }
        AvroSerdeConfig config = context.config();
        Schema reader = config.readerSchema != null ? config.readerSchema : config.model.defaultReader(writer);
        return new IdReader<>(id, config.model.reader(writer, reader));
    }

    private T readSingleObject(String topic, byte[] data) {
        if (data.length < SingleObjectFraming.HEADER_LENGTH) {
            throw error(topic, data, "shorter than the 10-byte single-object header", null);
        }
        long fingerprint = SingleObjectFraming.readFingerprint(data);
        BinaryMessageDecoder<T> decoder = byFingerprint.get(fingerprint);
        if (decoder == null) {
            decoder = byFingerprint.computeIfAbsent(fingerprint, fp -> newFingerprintDecoder(topic, data, fp));
        }
        ByteSource source = scratch().source.reset(data);
        T value;
        try {
            value = decoder.decode(source, null);
        } catch (IOException | RuntimeException e) {
            throw error(topic, data, String.format("corrupt Avro body for fingerprint %016x: %s", fingerprint, e), e);
        }
        if (source.remaining() != 0) {
            throw error(
                    topic,
                    data,
                    String.format(
                            "%d bytes left over after the datum of "
                                    + "fingerprint %016x (wrong schema or corrupt body)",
                            source.remaining(), fingerprint),
                    null);
        }
        return value;
    }

    private BinaryMessageDecoder<T> newFingerprintDecoder(String topic, byte[] data, long fp) {
        AvroSerdeConfig config = context.config();
        List<String> likely = config.subjectStrategy == SubjectNameStrategy.TOPIC
                ? List.of(config.subjectStrategy.subject(topic, context.isKey(), null))
                : List.of();
        Schema writer;
        try {
            writer = context.fingerprints().findByFingerprint(fp, likely);
        } catch (RegistryClientException e) {
            throw error(topic, data, "registry failed resolving fingerprint: " + e.getMessage(), e);
        }
        if (writer == null) {
            throw error(
                    topic,
                    data,
                    String.format("no schema in the registry has CRC-64-AVRO fingerprint %016x", fp),
                    null);
        }
        Schema reader = config.readerSchema != null ? config.readerSchema : config.model.defaultReader(writer);
        BinaryMessageDecoder<T> decoder =
                new BinaryMessageDecoder<>(config.model.data(), reader, context.fingerprints());
        decoder.addSchema(writer);
        return decoder;
    }

    private AvroSerdeException error(String topic, byte[] data, String message, Throwable cause) {
        return new AvroSerdeException(topic, context.isKey(), data, message, cause);
    }

    @Override
    public void close() {
        byId.clear();
        byFingerprint.clear();
        last = null;
    }

    private record IdReader<T>(int id, DatumReader<T> reader) {}

    /** Per-thread scratch, one object so a call needs at most one thread-local lookup. */
    private static final class Scratch {
        final Thread owner = Thread.currentThread();
        final ByteSource source = new ByteSource();
        BinaryDecoder decoder;
    }
}
