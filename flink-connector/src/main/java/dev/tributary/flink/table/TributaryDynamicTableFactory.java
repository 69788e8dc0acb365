package dev.tributary.flink.table;

import static dev.tributary.flink.table.TributaryConnectorOptions.*;

import dev.tributary.flink.sink.TributaryPartitioner;
import dev.tributary.flink.sink.TributarySinkBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;

/**
 * The {@code 'connector' = 'tributary'} table factory: an append-only topic (or, with a changelog
 * format such as debezium-json, a changelog). Options: {@link TributaryConnectorOptions}.
 * {@link UpsertTributaryDynamicTableFactory} shares this code in upsert mode.
 */
public class TributaryDynamicTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "tributary";

    /** Upsert mode: key = primary key, tombstones = deletes. */
    protected boolean upsert() {
        return false;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(BOOTSTRAP_SERVERS);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(
                TOPIC,
                TOPIC_PATTERN,
                GROUP_ID,
                FactoryUtil.FORMAT,
                KEY_FORMAT,
                VALUE_FORMAT,
                KEY_FIELDS,
                KEY_FIELDS_PREFIX,
                VALUE_FIELDS_INCLUDE,
                SCAN_STARTUP_MODE,
                SCAN_STARTUP_SPECIFIC_OFFSETS,
                SCAN_STARTUP_TIMESTAMP_MILLIS,
                SCAN_BOUNDED_MODE,
                SCAN_BOUNDED_SPECIFIC_OFFSETS,
                SCAN_BOUNDED_TIMESTAMP_MILLIS,
                SCAN_TOPIC_PARTITION_DISCOVERY,
                SCAN_PARALLELISM,
                SINK_PARTITIONER,
                DELIVERY_GUARANTEE,
                SINK_PARALLELISM,
                SCAN_FAIL_ON_DATA_LOSS,
                SCAN_PARTITION_IDLE_TIMEOUT,
                SCAN_BACKFILL_SPLIT_SIZE);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        DecodingFormat<DeserializationSchema<RowData>> keyFormat = helper.discoverOptionalDecodingFormat(
                        DeserializationFormatFactory.class, KEY_FORMAT)
                .orElse(null);
        DecodingFormat<DeserializationSchema<RowData>> valueFormat = helper.discoverOptionalDecodingFormat(
                        DeserializationFormatFactory.class, FactoryUtil.FORMAT)
                .orElseGet(() -> helper.discoverDecodingFormat(DeserializationFormatFactory.class, VALUE_FORMAT));
        helper.validateExcept(PROPERTIES_PREFIX);
        ReadableConfig options = helper.getOptions();
        Fields f = fields(context, options);
        Properties props =
                TableOptionsResolver.clientProperties(context.getCatalogTable().getOptions());
        List<String> topics = options.getOptional(TOPIC).orElse(null);
        String pattern = options.getOptional(TOPIC_PATTERN).orElse(null);
        if ((topics == null) == (pattern == null)) {
            throw new ValidationException("Set exactly one of 'topic' and 'topic-pattern' for table "
                    + context.getObjectIdentifier().asSummaryString());
        }
        Duration discovery = options.get(SCAN_TOPIC_PARTITION_DISCOVERY);
        return new TributaryDynamicSource(new TributaryDynamicSource.Spec(
                f.physical(),
                keyFormat,
                valueFormat,
                f.keyProjection(),
                f.valueProjection(),
                f.keyPrefix(),
                topics,
                pattern,
                props,
                TableOptionsResolver.startingOffsets(options, topics, props),
                TableOptionsResolver.stoppingOffsets(options, topics, props),
                discovery,
                options.get(SCAN_FAIL_ON_DATA_LOSS),
                options.get(SCAN_PARTITION_IDLE_TIMEOUT),
                options.get(SCAN_BACKFILL_SPLIT_SIZE),
                options.getOptional(SCAN_PARALLELISM).orElse(null),
                upsert(),
                context.getObjectIdentifier().asSummaryString()));
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> keyFormat = helper.discoverOptionalEncodingFormat(
                        SerializationFormatFactory.class, KEY_FORMAT)
                .orElse(null);
        EncodingFormat<SerializationSchema<RowData>> valueFormat = helper.discoverOptionalEncodingFormat(
                        SerializationFormatFactory.class, FactoryUtil.FORMAT)
                .orElseGet(() -> helper.discoverEncodingFormat(SerializationFormatFactory.class, VALUE_FORMAT));
        helper.validateExcept(PROPERTIES_PREFIX);
        ReadableConfig options = helper.getOptions();
        Fields f = fields(context, options);
        List<String> topics = options.getOptional(TOPIC).orElse(List.of());
        if (topics.size() != 1 || options.getOptional(TOPIC_PATTERN).isPresent()) {
            throw new ValidationException("A tributary sink writes one topic: set 'topic' to a single name for table "
                    + context.getObjectIdentifier().asSummaryString());
        }
        Properties props =
                TableOptionsResolver.clientProperties(context.getCatalogTable().getOptions());
        props.remove("group.id");
        return new TributaryDynamicSink(new TributaryDynamicSink.Spec(
                f.physical(),
                keyFormat,
                valueFormat,
                f.keyProjection(),
                f.valueProjection(),
                f.keyPrefix(),
                topics.get(0),
                props,
                partitioner(options, context.getClassLoader()),
                deliveryGuarantee(options),
                options.getOptional(SINK_PARALLELISM).orElse(null),
                upsert()));
    }

    /** The physical row and its split into key and value fields, as both the source and the sink read it. */
    private record Fields(DataType physical, int[] keyProjection, int[] valueProjection, String keyPrefix) {}

    private Fields fields(Context context, ReadableConfig options) {
        DataType physical = context.getPhysicalRowDataType();
        int[] keyProjection = keyProjection(context, options, physical);
        int[] valueProjection =
                TableOptionsResolver.valueProjection(physical, keyProjection, options.get(VALUE_FIELDS_INCLUDE));
        String prefix = options.getOptional(KEY_FIELDS_PREFIX).orElse(null);
        TableOptionsResolver.checkPrefix(physical, keyProjection, prefix);
        return new Fields(physical, keyProjection, valueProjection, prefix);
    }

    private int[] keyProjection(Context context, ReadableConfig options, DataType physical) {
        String keyFormat = options.getOptional(KEY_FORMAT).orElse(null);
        if (!upsert()) {
            return TableOptionsResolver.keyProjection(physical, options.get(KEY_FIELDS), keyFormat);
        }
        int[] pk = context.getPrimaryKeyIndexes();
        if (pk.length == 0) {
            throw new ValidationException("'upsert-tributary' table "
                    + context.getObjectIdentifier().asSummaryString() + " needs a PRIMARY KEY: it is the record key");
        }
        if (options.getOptional(KEY_FIELDS).map(l -> !l.isEmpty()).orElse(false)) {
            throw new ValidationException("'upsert-tributary' takes its key from the PRIMARY KEY; remove 'key.fields'");
        }
        if (keyFormat == null) {
            throw new ValidationException("'upsert-tributary' needs 'key.format'");
        }
        return pk;
    }

    static DeliveryGuarantee deliveryGuarantee(ReadableConfig options) {
        String g = options.get(DELIVERY_GUARANTEE);
        switch (g) {
            case "at-least-once":
                return DeliveryGuarantee.AT_LEAST_ONCE;
            case "none":
                return DeliveryGuarantee.NONE;
            case "exactly-once":
                throw new ValidationException(TributarySinkBuilder.exactlyOnceMessage());
            default:
                throw new ValidationException(
                        "'sink.delivery-guarantee' must be at-least-once, none or exactly-once, got '" + g + "'");
        }
    }

    @SuppressWarnings("unchecked")
    static TributaryPartitioner<RowData> partitioner(ReadableConfig options, ClassLoader loader) {
        String p = options.get(SINK_PARTITIONER);
        switch (p) {
            case "default":
                return TributaryPartitioner.keyHash();
            case "fixed":
                return TributaryPartitioner.fixed();
            case "round-robin":
                return TributaryPartitioner.roundRobin();
            default:
                try {
                    Class<?> c = Class.forName(p, true, loader);
                    if (!TributaryPartitioner.class.isAssignableFrom(c)) {
                        throw new ValidationException("'sink.partitioner' class " + p + " does not implement "
                                + TributaryPartitioner.class.getName());
                    }
                    return (TributaryPartitioner<RowData>)
                            c.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new ValidationException(
                            "'sink.partitioner' is not default, fixed, round-robin or a loadable "
                                    + "class with a no-arg constructor: '" + p + "'",
                            e);
                }
        }
    }
}
