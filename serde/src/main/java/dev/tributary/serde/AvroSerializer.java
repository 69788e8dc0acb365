package dev.tributary.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} for Avro: generated {@code SpecificRecord}s, {@code GenericRecord}s and plain Java
 * objects (by reflection), framed per {@link WireFormat}. Configure with {@link AvroSerdeConfig}'s keys.
 *
 * <p>Steady state costs an identity check against the last (topic, schema) written, else two map lookups
 * (topic, then schema object; Avro caches the schema's hash), on top of Avro's own encoding: the registry is
 * called once per new (subject, schema), the datum writer is built once, and the output buffer and encoder
 * are reused per thread. A null datum serializes to null (a tombstone).
 */
public class AvroSerializer<T> implements Serializer<T> {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The client given to the constructor or {@link #useClient}, else the one the first configure made. */
    private RegistryClient client;
    /** Null until {@link #configure}. */
    private SerdeContext context;
    /** topic -> schema -> how to write it; two levels so a lookup builds no composite key. */
    private final Map<String, Map<Schema, SchemaWriter<T>>> writers = new ConcurrentHashMap<>();
    /**
     * The last (topic, schema) written: a producer usually sends one record type to one topic, so the
     * steady state is an identity compare instead of two map lookups.
     */
    private volatile LastWriter<T> last;
    /**
     * The buffers of the thread that called last: a producer serializes on the sending thread, so the steady
     * state is an identity compare with {@code Thread.currentThread()} instead of a {@link ThreadLocal} hash
     * lookup. Racy on purpose: a thread uses them only if it owns them (a final field), otherwise it takes its
     * own from {@link #BUFFERS}, so no two threads ever share a buffer.
     */
    private Buffers scratch;

    /** For Kafka's reflective construction; {@link #configure} supplies the registry URL. */
    public AvroSerializer() {}

    /** With a given client (shared caches, tests, benchmarks); {@link #configure} is still required. */
    public AvroSerializer(RegistryClient client) {
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
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (context == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = data instanceof GenericContainer c ? c.getSchema() : DataModel.REFLECT.schemaOf(data);
        LastWriter<T> l = last;
        SchemaWriter<T> writer;
        if (l != null && l.schema == schema && l.topic.equals(topic)) {
            writer = l.writer;
        } else {
            writer = writerFor(topic, schema, data);
            last = new LastWriter<>(topic, schema, writer);
        }
        try {
            return writer.write(data, buffers());
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot serialize " + data.getClass().getName() + " with schema " + schema.getFullName()
                            + " for topic '" + topic + "': " + e,
                    e);
        }
    }

    private Buffers buffers() {
        Buffers b = scratch;
        if (b == null || b.owner != Thread.currentThread()) {
            b = BUFFERS.get();
            scratch = b;
        }
        return b;
    }

    private SchemaWriter<T> writerFor(String topic, Schema schema, T data) {
        Map<Schema, SchemaWriter<T>> bySchema = writers.get(topic);
        SchemaWriter<T> writer = bySchema == null ? null : bySchema.get(schema);
        if (writer == null) {
            DataModel model = DataModel.forDatum(data);
            writer = writers.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(schema, s -> newWriter(topic, s, model));
        }
        return writer;
    }

    private SchemaWriter<T> newWriter(String topic, Schema schema, DataModel model) {
        AvroSerdeConfig config = context.config();
        String subject = config.subjectStrategy.subject(topic, context.isKey(), schema);
        int id = config.autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
        if (config.wireFormat == WireFormat.SINGLE_OBJECT) {
            context.fingerprints().add(schema);
            return new SingleObjectWriter<>(new BinaryMessageEncoder<>(model.data(), schema));
        }
        return new ConfluentWriter<>(id, model.writer(schema));
    }

    @Override
    public void close() {
        writers.clear();
        last = null;
    }

    private record LastWriter<T>(String topic, Schema schema, SchemaWriter<T> writer) {}

    /** Per-thread scratch: the output buffer and the encoder Avro lets us reuse. */
    static final class Buffers {
        final Thread owner = Thread.currentThread();
        final ByteSink out = new ByteSink();
        BinaryEncoder encoder;
    }

    private interface SchemaWriter<T> {
        byte[] write(T datum, Buffers buffers) throws IOException;
    }

    private static final class ConfluentWriter<T> implements SchemaWriter<T> {
        private final byte[] header = new byte[ConfluentFraming.HEADER_LENGTH];
        private final DatumWriter<T> writer;

        ConfluentWriter(int id, DatumWriter<T> writer) {
            ConfluentFraming.writeHeader(header, id);
            this.writer = writer;
        }

        @Override
        public byte[] write(T datum, Buffers b) throws IOException {
            b.out.resetTo(header);
            b.encoder = EncoderFactory.get().directBinaryEncoder(b.out, b.encoder);
            writer.write(datum, b.encoder);
            return b.out.toByteArray();
        }
    }

    private static final class SingleObjectWriter<T> implements SchemaWriter<T> {
        private final BinaryMessageEncoder<T> encoder;

        SingleObjectWriter(BinaryMessageEncoder<T> encoder) {
            this.encoder = encoder;
        }

        @Override
        public byte[] write(T datum, Buffers b) throws IOException {
            b.out.reset();
            encoder.encode(datum, b.out);
            return b.out.toByteArray();
        }
    }
}
