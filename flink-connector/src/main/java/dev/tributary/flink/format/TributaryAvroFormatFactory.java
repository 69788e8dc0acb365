package dev.tributary.flink.format;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'format' = 'tributary-avro'}: Avro with Confluent framing and the schema registry Tributary hosts
 * (any Confluent-compatible registry works). Options, under the format prefix:
 * {@code url} (required), {@code subject} (required to write; the catalog sets {@code <topic>-value}),
 * {@code schema} (pin the reader/writer schema; the catalog pins the registered one).
 */
public final class TributaryAvroFormatFactory implements DeserializationFormatFactory, SerializationFormatFactory {

    public static final String IDENTIFIER = "tributary-avro";

    public static final ConfigOption<String> URL = ConfigOptions.key("url")
            .stringType()
            .noDefaultValue()
            .withDescription("Schema registry URL, e.g. http://127.0.0.1:8081");
    public static final ConfigOption<String> SUBJECT = ConfigOptions.key("subject")
            .stringType()
            .noDefaultValue()
            .withDescription("Subject the writer schema is registered under.");
    public static final ConfigOption<String> SCHEMA = ConfigOptions.key("schema")
            .stringType()
            .noDefaultValue()
            .withDescription("Avro schema JSON to read and write with instead of one derived from the columns.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(SUBJECT, SCHEMA);
    }

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig options) {
        FactoryUtil.validateFactoryOptions(this, options);
        String url = options.get(URL);
        String schema = options.getOptional(SCHEMA).orElse(null);
        return new DecodingFormat<>() {
            @Override
            public DeserializationSchema<RowData> createRuntimeDecoder(DynamicTableSource.Context ctx, DataType type) {
                return new RegistryAvroRowDeserializer(
                        (RowType) type.getLogicalType(), url, schema, ctx.createTypeInformation(type));
            }

            @Override
            public ChangelogMode getChangelogMode() {
                return ChangelogMode.insertOnly();
            }
        };
    }

    @Override
    public EncodingFormat<SerializationSchema<RowData>> createEncodingFormat(
            DynamicTableFactory.Context context, ReadableConfig options) {
        FactoryUtil.validateFactoryOptions(this, options);
        String url = options.get(URL);
        String schema = options.getOptional(SCHEMA).orElse(null);
        String subject = options.getOptional(SUBJECT)
                .orElseThrow(() -> new ValidationException(
                        "format 'tributary-avro' needs 'subject' to write (usually '<topic>-value')"));
        return new EncodingFormat<>() {
            @Override
            public SerializationSchema<RowData> createRuntimeEncoder(DynamicTableSink.Context ctx, DataType type) {
                return new RegistryAvroRowSerializer((RowType) type.getLogicalType(), url, subject, schema);
            }

            @Override
            public ChangelogMode getChangelogMode() {
                return ChangelogMode.insertOnly();
            }
        };
    }
}
