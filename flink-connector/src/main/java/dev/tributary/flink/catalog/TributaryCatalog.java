package dev.tributary.flink.catalog;

import dev.tributary.serde.CachingRegistryClient;
import dev.tributary.serde.RegistryClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics as typed tables, with no DDL. One database ({@code default}); every topic with a value schema
 * under subject {@code <topic>-value} is a table whose columns come from the latest such schema (see
 * {@link TopicTableMapper} for the exact shape).
 *
 * <p>{@code CREATE TABLE} creates the topic (option {@code partitions}, default 1) and registers the
 * columns as the value schema; {@code DROP TABLE} deletes the topic and soft-deletes its subjects.
 * Views, functions, partitions and statistics are not supported.
 */
public final class TributaryCatalog extends AbstractCatalog {

    public static final String DEFAULT_DATABASE = "default";

    private final String bootstrapServers;
    private final String registryUrl;
    private final Duration watermarkDelay;
    private Admin admin;
    private RegistryClient registry;
    private HttpClient http;

    public TributaryCatalog(String name, String bootstrapServers, String registryUrl, Duration watermarkDelay) {
        super(name, DEFAULT_DATABASE);
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        this.watermarkDelay = watermarkDelay;
    }

    @Override
    public void open() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", "tributary-catalog-" + getName());
        admin = Admin.create(p);
        registry = new CachingRegistryClient(registryUrl);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }

    // ---- databases: exactly one ----

    @Override
    public List<String> listDatabases() {
        return List.of(DEFAULT_DATABASE);
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return new CatalogDatabaseImpl(Map.of(), "Topics of " + bootstrapServers + " with value schemas in " + registryUrl);
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return DEFAULT_DATABASE.equals(databaseName);
    }

    private void requireDatabase(String db) throws DatabaseNotExistException {
        if (!databaseExists(db)) {
            throw new DatabaseNotExistException(getName(), db);
        }
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists) {
        throw new UnsupportedOperationException("TributaryCatalog has one database, '" + DEFAULT_DATABASE + "'");
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade) {
        throw new UnsupportedOperationException("TributaryCatalog has one database, '" + DEFAULT_DATABASE + "'");
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("TributaryCatalog has one database, '" + DEFAULT_DATABASE + "'");
    }

    // ---- tables: topics with a value schema ----

    private Set<String> topics() {
        try {
            return admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new CatalogException("cannot list topics of " + bootstrapServers, e);
        }
    }

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        Set<String> topics = topics();
        List<String> out = new ArrayList<>();
        for (String subject : registry.subjects()) {
            if (subject.endsWith("-value")) {
                String topic = subject.substring(0, subject.length() - "-value".length());
                if (topics.contains(topic)) {
                    out.add(topic);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public List<String> listViews(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return List.of();
    }

    private static Schema latest(List<Schema> versions) {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        String topic = path.getObjectName();
        Schema value = databaseExists(path.getDatabaseName()) && topics().contains(topic)
                ? latest(registry.subjectSchemas(topic + "-value")) : null;
        if (value == null) {
            throw new TableNotExistException(getName(), path);
        }
        Schema key = latest(registry.subjectSchemas(topic + "-key"));
        try {
            return TopicTableMapper.toTable(topic, value, key, bootstrapServers, registryUrl, watermarkDelay);
        } catch (IllegalArgumentException e) {
            throw new CatalogException("topic " + topic + " cannot be shown as a table: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean tableExists(ObjectPath path) {
        try {
            getTable(path);
            return true;
        } catch (TableNotExistException e) {
            return false;
        }
    }

    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        requireDatabase(path.getDatabaseName());
        if (!(table instanceof ResolvedCatalogTable)) {
            throw new CatalogException("only tables can be created in TributaryCatalog, not " + table.getTableKind());
        }
        String topic = path.getObjectName();
        if (tableExists(path)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), path);
        }
        ResolvedCatalogTable resolved = (ResolvedCatalogTable) table;
        Schema schema = TopicTableMapper.valueSchemaOf(topic, resolved.getResolvedSchema().toPhysicalRowDataType());
        int partitions = Integer.parseInt(table.getOptions().getOrDefault("partitions", "1"));
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new CatalogException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted creating topic " + topic, e);
        }
        registry.register(topic + "-value", schema);
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists) throws TableNotExistException {
        if (!tableExists(path)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), path);
        }
        String topic = path.getObjectName();
        try {
            admin.deleteTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new CatalogException("cannot delete topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted deleting topic " + topic, e);
        }
        deleteSubject(topic + "-value");
        deleteSubject(topic + "-key");
    }

    /** Soft delete, as the registry's REST API defines it; 404 (no such subject) is fine. */
    private void deleteSubject(String subject) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/"
                + URLEncoder.encode(subject, StandardCharsets.UTF_8))).DELETE().timeout(Duration.ofSeconds(30)).build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200 && status != 404) {
                throw new CatalogException("deleting subject " + subject + " answered HTTP " + status);
            }
        } catch (java.io.IOException e) {
            throw new CatalogException("cannot reach the registry at " + registryUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted deleting subject " + subject, e);
        }
    }

    @Override
    public void renameTable(ObjectPath path, String newName, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("topics cannot be renamed");
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("evolve the table by registering a new value schema for the topic");
    }

    // ---- not supported: partitions, functions, statistics ----

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
    public void createPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog tables are not partitioned");
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog tables are not partitioned");
    }

    @Override
    public void alterPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog tables are not partitioned");
    }

    @Override
    public List<String> listFunctions(String dbName) {
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
        throw new UnsupportedOperationException("TributaryCatalog does not store functions");
    }

    @Override
    public void alterFunction(ObjectPath path, CatalogFunction newFunction, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("TributaryCatalog does not store functions");
    }

    @Override
    public void dropFunction(ObjectPath path, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("TributaryCatalog does not store functions");
    }

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
        throw new UnsupportedOperationException("TributaryCatalog keeps no statistics");
    }

    @Override
    public void alterTableColumnStatistics(ObjectPath path, CatalogColumnStatistics stats, boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog keeps no statistics");
    }

    @Override
    public void alterPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec, CatalogTableStatistics stats,
            boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog keeps no statistics");
    }

    @Override
    public void alterPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec,
            CatalogColumnStatistics stats, boolean ignore) {
        throw new UnsupportedOperationException("TributaryCatalog keeps no statistics");
    }
}
