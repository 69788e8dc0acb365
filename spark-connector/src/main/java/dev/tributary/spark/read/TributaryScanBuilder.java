package dev.tributary.spark.read;

import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.offsets.FilterBounds;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a {@link TributaryScan}: takes the columns the query needs (so unread keys and values are not
 * even copied out of fetch buffers) and the filters on partition, offset and timestamp (see
 * {@link FilterBounds} for what is exact and what is re-checked).
 */
public final class TributaryScanBuilder
        implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns {
    private final TributaryOptions options;
    private final BytesDecoder keyDecoder;
    private final BytesDecoder valueDecoder;
    private StructType schema;
    private FilterBounds bounds = FilterBounds.none();

    public TributaryScanBuilder(
            TributaryOptions options, StructType schema, BytesDecoder keyDecoder, BytesDecoder valueDecoder) {
        this.options = options;
        this.schema = schema;
        this.keyDecoder = keyDecoder;
        this.valueDecoder = valueDecoder;
    }

    @Override
    public Filter[] pushFilters(Filter[] filters) {
        bounds = FilterBounds.of(filters);
        return bounds.postScan();
    }

    @Override
    public Filter[] pushedFilters() {
        return bounds.pushed();
    }

    /**
     * Drops unread top-level columns. Nested pruning (a typed value struct narrowed to the fields a query
     * uses) is undone: the decoder always produces the whole struct, which costs little next to decoding.
     */
    @Override
    public void pruneColumns(StructType requiredSchema) {
        StructType full = this.schema;
        StructType pruned = new StructType();
        for (String name : requiredSchema.fieldNames()) {
            pruned = pruned.add(full.apply(name));
        }
        this.schema = pruned;
    }

    @Override
    public Scan build() {
        return new TributaryScan(options, schema, bounds, keyDecoder, valueDecoder);
    }
}
