package dev.tributary.flink.table;

import static dev.tributary.flink.table.TributaryConnectorOptions.*;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code 'connector' = 'upsert-tributary'}: a table with a PRIMARY KEY over a (typically compacted)
 * topic. The record key holds the primary key; a record is an upsert of its key and a tombstone a delete.
 * Reading produces a changelog (the planner normalises it per key). Unlike upsert-kafka, the
 * {@code scan.startup.*} and {@code scan.bounded.*} options work here.
 */
public class UpsertTributaryDynamicTableFactory extends TributaryDynamicTableFactory {

    public static final String IDENTIFIER = "upsert-tributary";

    @Override
    protected boolean upsert() {
        return true;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(BOOTSTRAP_SERVERS, KEY_FORMAT);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> s = new HashSet<>(super.optionalOptions());
        s.remove(KEY_FORMAT);
        s.remove(KEY_FIELDS);
        s.remove(FactoryUtil.FORMAT);
        return s;
    }
}
