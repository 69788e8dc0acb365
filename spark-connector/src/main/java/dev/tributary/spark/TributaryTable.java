package dev.tributary.spark;

import dev.tributary.spark.read.BytesDecoder;
import dev.tributary.spark.read.TributaryScanBuilder;
import dev.tributary.spark.write.BytesEncoder;
import dev.tributary.spark.write.TributaryWrite;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.internal.connector.SupportsStreamingUpdateAsAppend;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A topic subscription as a Spark table: readable in batch and micro-batch, writable in batch and
 * streaming. Options given when the table was made (format options or catalog properties) are merged
 * with the options of each read or write, the latter winning.
 */
public class TributaryTable implements SupportsRead, SupportsWrite {
    private final String name;
    private final Map<String, String> properties;
    private final StructType schema;
    private final BytesDecoder keyDecoder;
    private final BytesDecoder valueDecoder;
    private final BytesEncoder keyEncoder;
    private final BytesEncoder valueEncoder;

    public TributaryTable(String name, Map<String, String> properties, TableFormat format) {
        this.name = name;
        this.properties = Map.copyOf(properties);
        this.schema = format.schema();
        this.keyDecoder = format.keyDecoder();
        this.valueDecoder = format.valueDecoder();
        this.keyEncoder = format.keyEncoder();
        this.valueEncoder = format.valueEncoder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return EnumSet.of(
                TableCapability.BATCH_READ,
                TableCapability.MICRO_BATCH_READ,
                TableCapability.BATCH_WRITE,
                TableCapability.STREAMING_WRITE,
                TableCapability.ACCEPT_ANY_SCHEMA);
    }

    private TributaryOptions merged(CaseInsensitiveStringMap options) {
        Map<String, String> all = new HashMap<>(properties);
        all.putAll(options.asCaseSensitiveMap());
        return new TributaryOptions(all);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
        return new TributaryScanBuilder(merged(options), schema, keyDecoder, valueDecoder);
    }

    @Override
    public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
        return new Builder(merged(info.options()), info.schema());
    }

    /**
     * Streaming update and complete output modes append their rows, as spark-sql-kafka's sink does: a log
     * cannot replace earlier records, so "truncate" is a no-op for streams. Batch overwrite stays rejected
     * (the table does not declare TRUNCATE).
     */
    private final class Builder implements SupportsStreamingUpdateAsAppend, SupportsTruncate {
        private final TributaryOptions options;
        private final StructType writeSchema;

        Builder(TributaryOptions options, StructType writeSchema) {
            this.options = options;
            this.writeSchema = writeSchema;
        }

        @Override
        public WriteBuilder truncate() {
            return this;
        }

        @Override
        public Write build() {
            return new TributaryWrite(options, writeSchema, keyEncoder, valueEncoder);
        }
    }
}
