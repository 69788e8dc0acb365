package dev.tributary.flink.format;

import dev.tributary.serde.CachingRegistryClient;
import dev.tributary.serde.RegistryClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Confluent-framed Avro to RowData. The writer schema comes from the registry by the id in the frame
 * (cached: ids never change); Avro resolves it against the reader schema (the table's, or the one the
 * catalog pinned), and flink-avro's converter builds the row.
 */
final class RegistryAvroRowDeserializer implements DeserializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final String registryUrl;
    private final String readerSchemaJson;
    private final TypeInformation<RowData> producedType;
    private transient RegistryClient registry;
    private transient Schema readerSchema;
    private transient AvroToRowDataConverters.AvroToRowDataConverter converter;
    private transient Map<Integer, GenericDatumReader<Object>> readers;
    private transient BinaryDecoder decoder;

    RegistryAvroRowDeserializer(
            RowType rowType, String registryUrl, String readerSchemaJson, TypeInformation<RowData> producedType) {
        this.rowType = rowType;
        this.registryUrl = registryUrl;
        this.readerSchemaJson = readerSchemaJson;
        this.producedType = producedType;
    }

    @Override
    public void open(InitializationContext context) {
        registry = new CachingRegistryClient(registryUrl);
        readerSchema = readerSchemaJson != null
                ? new Schema.Parser().parse(readerSchemaJson)
                : AvroSchemaConverter.convertToSchema(rowType);
        converter = AvroToRowDataConverters.createRowConverter(rowType);
        readers = new HashMap<>();
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        if (message.length < ConfluentAvroFrame.BODY_OFFSET
                || message[ConfluentAvroFrame.MAGIC_OFFSET] != ConfluentAvroFrame.MAGIC) {
            throw new IOException("not a Confluent-framed Avro value: " + message.length + " bytes, first byte "
                    + (message.length == 0 ? "none" : String.valueOf(message[0]))
                    + " (expected magic 0 and a 4-byte schema id)");
        }
        int id = ConfluentAvroFrame.readId(message);
        GenericDatumReader<Object> reader = readers.get(id);
        if (reader == null) {
            reader = new GenericDatumReader<>(registry.schemaById(id), readerSchema);
            readers.put(id, reader);
        }
        decoder = DecoderFactory.get()
                .binaryDecoder(
                        message,
                        ConfluentAvroFrame.BODY_OFFSET,
                        message.length - ConfluentAvroFrame.BODY_OFFSET,
                        decoder);
        try {
            return (RowData) converter.convert(reader.read(null, decoder));
        } catch (RuntimeException e) {
            throw new IOException("cannot decode Avro value with writer schema id " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
