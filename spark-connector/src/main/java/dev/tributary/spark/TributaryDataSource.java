package dev.tributary.spark;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Entry point of {@code format("tributary")} for {@code read}, {@code readStream}, {@code write} and
 * {@code writeStream}. Registered through META-INF/services so the short name works.
 */
public final class TributaryDataSource implements TableProvider, DataSourceRegister {
    public static final String SHORT_NAME = "tributary";

    @Override
    public String shortName() {
        return SHORT_NAME;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return TableFormat.of(new TributaryOptions(options.asCaseSensitiveMap()))
                .schema();
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new TributaryTable(SHORT_NAME, properties, TableFormat.of(new TributaryOptions(properties)));
    }
}
