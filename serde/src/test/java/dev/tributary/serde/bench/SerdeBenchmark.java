package dev.tributary.serde.bench;

import dev.tributary.registry.SchemaRegistryServer;
import dev.tributary.registry.store.InMemoryRegistryStore;
import dev.tributary.serde.AvroDeserializer;
import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.serde.AvroSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.RawMessageDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serializer and deserializer throughput against raw Avro ({@code GenericDatumWriter} into a reused
 * {@code BinaryEncoder}, {@code GenericDatumReader} from a reused {@code BinaryDecoder}) in the same run, so the
 * difference is what framing and the registry cache cost at steady state (target: under 10%).
 * {@code rawSerialize} uses the same direct encoder and unsynchronized buffer as the serializer, which is
 * also the fastest raw variant; {@code rawSerializeBuffered} is the buffered encoder most code uses.
 *
 * <p>The registry is a real in-process server over an in-memory store; after the first call every lookup is a
 * cache hit, so no benchmark iteration touches HTTP. Run:
 * <pre>
 * mvn -B -q -pl serde -am test-compile
 * mvn -B -q -pl serde dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp serde/target/test-classes:serde/target/classes:$(cat serde/target/cp.txt) org.openjdk.jmh.Main SerdeBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {
    private static final String TOPIC = "bench";
    private static final Schema SCHEMA = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Order\","
                    + "\"namespace\":\"bench\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"customer\",\"type\":\"string\"},"
                    + "{\"name\":\"amount\",\"type\":\"double\"},{\"name\":\"quantity\",\"type\":\"int\"},"
                    + "{\"name\":\"express\",\"type\":\"boolean\"},{\"name\":\"comment\",\"type\":\"string\"}]}");

    /** Size of the free-text field: a small record is dominated by per-call overhead, a large one by copying. */
    @Param({"16", "1024"})
    public int commentBytes;

    private SchemaRegistryServer registry;
    private GenericRecord record;

    private final RawOut rawOut = new RawOut();
    private BinaryEncoder rawEncoder;
    private BinaryEncoder rawBufferedEncoder;
    private BinaryDecoder rawDecoder;
    private GenericDatumWriter<GenericRecord> rawWriter;
    private GenericDatumReader<GenericRecord> rawReader;
    private byte[] rawBytes;
    private RawMessageDecoder<GenericRecord> rawMessageDecoder;

    private AvroSerializer<GenericRecord> confluentSerializer;
    private AvroSerializer<GenericRecord> singleObjectSerializer;
    private AvroDeserializer<GenericRecord> deserializer;
    private byte[] confluentBytes;
    private byte[] singleObjectBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        registry = SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore());
        record = new GenericRecordBuilder(SCHEMA)
                .set("id", 123456789L)
                .set("customer", "customer-0042")
                .set("amount", 99.95)
                .set("quantity", 3)
                .set("express", true)
                .set("comment", "x".repeat(commentBytes))
                .build();
        rawWriter = new GenericDatumWriter<>(SCHEMA);
        rawReader = new GenericDatumReader<>(SCHEMA);
        rawBytes = rawSerialize();
        rawMessageDecoder = new RawMessageDecoder<>(GenericData.get(), SCHEMA);

        confluentSerializer = new AvroSerializer<>();
        confluentSerializer.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, registry.url()), false);
        singleObjectSerializer = new AvroSerializer<>();
        singleObjectSerializer.configure(
                Map.of(AvroSerdeConfig.REGISTRY_URL, registry.url(), AvroSerdeConfig.WIRE_FORMAT, "single-object"),
                false);
        deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, registry.url()), false);
        confluentBytes = confluentSerializer.serialize(TOPIC, record);
        singleObjectBytes = singleObjectSerializer.serialize(TOPIC, record);
        deserializer.deserialize(TOPIC, confluentBytes);
        deserializer.deserialize(TOPIC, singleObjectBytes);
    }

    /**
     * The baseline's output: an unsynchronized growable array like the serializer's own, so the comparison
     * isolates framing and cache cost ({@code ByteArrayOutputStream} would lock on every write and make the
     * baseline slower than the serde).
     */
    static final class RawOut extends OutputStream {
        private byte[] buf = new byte[256];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (buf.length - count < len) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public byte[] rawSerialize() throws IOException {
        rawOut.reset();
        rawEncoder = EncoderFactory.get().directBinaryEncoder(rawOut, rawEncoder);
        rawWriter.write(record, rawEncoder);
        return rawOut.toByteArray();
    }

    /** Raw Avro with the buffered encoder most code uses (it flushes into the stream in one write). */
    @Benchmark
    public byte[] rawSerializeBuffered() throws IOException {
        rawOut.reset();
        rawBufferedEncoder = EncoderFactory.get().binaryEncoder(rawOut, rawBufferedEncoder);
        rawWriter.write(record, rawBufferedEncoder);
        rawBufferedEncoder.flush();
        return rawOut.toByteArray();
    }

    @Benchmark
    public byte[] confluentSerialize() {
        return confluentSerializer.serialize(TOPIC, record);
    }

    @Benchmark
    public byte[] singleObjectSerialize() {
        return singleObjectSerializer.serialize(TOPIC, record);
    }

    @Benchmark
    public GenericRecord rawDeserialize() throws IOException {
        rawDecoder = DecoderFactory.get().binaryDecoder(rawBytes, 0, rawBytes.length, rawDecoder);
        return rawReader.read(null, rawDecoder);
    }

    /**
     * Raw Avro read through Avro's message API without a header ({@code RawMessageDecoder}): the body decoder
     * that {@code BinaryMessageDecoder} runs after its header, an unbuffered {@code DirectBinaryDecoder} over
     * an {@code InputStream}. {@code singleObjectDeserialize} against this is the single-object framing and
     * schema-store cost; this against {@code rawDeserialize} is what Avro's message decoder costs by itself.
     * Through {@code decode(ByteBuffer)}: Avro's {@code decode(byte[])} reads through a
     * {@code ByteArrayInputStream}, whose every {@code read()} takes a lock, and measured half as fast.
     */
    @Benchmark
    public GenericRecord rawMessageDeserialize() throws IOException {
        return rawMessageDecoder.decode(ByteBuffer.wrap(rawBytes), null);
    }

    @Benchmark
    public GenericRecord confluentDeserialize() {
        return deserializer.deserialize(TOPIC, confluentBytes);
    }

    @Benchmark
    public GenericRecord singleObjectDeserialize() {
        return deserializer.deserialize(TOPIC, singleObjectBytes);
    }
}
