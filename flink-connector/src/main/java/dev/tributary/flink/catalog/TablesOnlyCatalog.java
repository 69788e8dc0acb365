package dev.tributary.flink.catalog;

import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;

/**
 * The read-only part of a catalog that holds one fixed database of unpartitioned tables and nothing else.
 * Every operation on databases, views, functions, partitions and statistics is answered here: lookups
 * answer "none" the way Flink expects (an empty list, {@code false}, {@code UNKNOWN} statistics, or
 * Flink's not-exist exception), and changes throw {@link UnsupportedOperationException} with a message
 * that says what the catalog does instead. A subclass lists, reads, creates and drops its tables.
 */
public abstract class TablesOnlyCatalog extends AbstractCatalog {

    protected TablesOnlyCatalog(String name, String database) {
        super(name, database);
    }

    /** The comment of the one database, shown by {@code DESCRIBE DATABASE}. */
    protected abstract String databaseComment();

    /** Throws Flink's exception for a database other than the one this catalog has. */
    protected final void requireDatabase(String database) throws DatabaseNotExistException {
        if (!databaseExists(database)) {
            throw new DatabaseNotExistException(getName(), database);
        }
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("catalog '" + getName() + "': " + what);
    }

    // ---- databases: exactly one ----

    @Override
    public List<String> listDatabases() {
        return List.of(getDefaultDatabase());
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return new CatalogDatabaseImpl(Map.of(), databaseComment());
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return getDefaultDatabase().equals(databaseName);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists) {
        throw unsupported("it has one database, '" + getDefaultDatabase() + "', and cannot create another");
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade) {
        throw unsupported("its one database, '" + getDefaultDatabase() + "', cannot be dropped");
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw unsupported("its one database, '" + getDefaultDatabase() + "', cannot be altered");
    }

    // ---- tables: no views, no renames, no ALTER ----

    @Override
    public List<String> listViews(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return List.of();
    }

    @Override
    public void renameTable(ObjectPath path, String newName, boolean ignoreIfNotExists) {
        throw unsupported("tables cannot be renamed (" + path.getFullName() + ")");
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw unsupported("ALTER TABLE is not supported (" + path.getFullName() + "); evolve a table by "
                + "registering a new value schema for its topic");
    }

    // ---- partitions: tables are not partitioned ----

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path) throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path, CatalogPartitionSpec spec)
            throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(ObjectPath path, List<Expression> filters)
            throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec spec) throws PartitionNotExistException {
        throw new PartitionNotExistException(getName(), path, spec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec spec) {
        return false;
    }

    @Override
    public void createPartition(
            ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignore) {
        throw unsupported("tables are not partitioned (" + path.getFullName() + ")");
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignore) {
        throw unsupported("tables are not partitioned (" + path.getFullName() + ")");
    }

    @Override
    public void alterPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignore) {
        throw unsupported("tables are not partitioned (" + path.getFullName() + ")");
    }

    // ---- functions: none ----

    @Override
    public List<String> listFunctions(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return List.of();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath path) throws FunctionNotExistException {
        throw new FunctionNotExistException(getName(), path);
    }

    @Override
    public boolean functionExists(ObjectPath path) {
        return false;
    }

    @Override
    public void createFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfExists) {
        throw unsupported("it does not store functions (" + path.getFullName() + ")");
    }

    @Override
    public void alterFunction(ObjectPath path, CatalogFunction newFunction, boolean ignoreIfNotExists) {
        throw unsupported("it does not store functions (" + path.getFullName() + ")");
    }

    @Override
    public void dropFunction(ObjectPath path, boolean ignoreIfNotExists) {
        throw unsupported("it does not store functions (" + path.getFullName() + ")");
    }

    // ---- statistics: unknown, and not kept ----

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath path) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(ObjectPath path, CatalogTableStatistics stats, boolean ignore) {
        throw unsupported("it keeps no statistics (" + path.getFullName() + ")");
    }

    @Override
    public void alterTableColumnStatistics(ObjectPath path, CatalogColumnStatistics stats, boolean ignore) {
        throw unsupported("it keeps no statistics (" + path.getFullName() + ")");
    }

    @Override
    public void alterPartitionStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogTableStatistics stats, boolean ignore) {
        throw unsupported("it keeps no statistics (" + path.getFullName() + ")");
    }

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogColumnStatistics stats, boolean ignore) {
        throw unsupported("it keeps no statistics (" + path.getFullName() + ")");
    }
}
