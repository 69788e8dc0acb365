package dev.tributary.flink.format;

import dev.tributary.serde.CachingRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.RowDataToAvroConverters;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * RowData to Confluent-framed Avro. The writer schema (the pinned one, else derived from the table) is
 * registered under the subject once, at open; every value then carries its id.
 */
final class RegistryAvroRowSerializer implements SerializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final String registryUrl;
    private final String subject;
    private final String writerSchemaJson;
    private transient Schema schema;
    private transient int schemaId;
    private transient RowDataToAvroConverters.RowDataToAvroConverter converter;
    private transient GenericDatumWriter<Object> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;

    RegistryAvroRowSerializer(RowType rowType, String registryUrl, String subject, String writerSchemaJson) {
        this.rowType = rowType;
        this.registryUrl = registryUrl;
        this.subject = subject;
        this.writerSchemaJson = writerSchemaJson;
    }

    @Override
    public void open(InitializationContext context) {
        schema = writerSchemaJson != null
                ? new Schema.Parser().parse(writerSchemaJson)
                : AvroSchemaConverter.convertToSchema(rowType);
        schemaId = new CachingRegistryClient(registryUrl).register(subject, schema);
        converter = RowDataToAvroConverters.createConverter(rowType);
        writer = new GenericDatumWriter<>(schema);
        buffer = new ByteArrayOutputStream(256);
    }

    @Override
    public byte[] serialize(RowData row) {
        buffer.reset();
        ConfluentAvroFrame.writeHeader(buffer, schemaId);
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(converter.convert(schema, row), encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a row as Avro for subject " + subject, e);
        }
        return buffer.toByteArray();
    }
}
