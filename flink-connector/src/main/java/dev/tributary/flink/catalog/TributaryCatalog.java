package dev.tributary.flink.catalog;

import dev.tributary.serde.CachingRegistryClient;
import dev.tributary.serde.RegistryClient;
import dev.tributary.serde.RegistryClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
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
 * Views, functions, partitions and statistics are not supported ({@link TablesOnlyCatalog}).
 */
public final class TributaryCatalog extends TablesOnlyCatalog {

    public static final String DEFAULT_DATABASE = "default";

    private final String bootstrapServers;
    private final String registryUrl;
    private final Duration watermarkDelay;
    private Admin admin;
    private RegistryClient registry;

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
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }

    @Override
    protected String databaseComment() {
        return "Topics of " + bootstrapServers + " with value schemas in " + registryUrl;
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

    private static Schema latest(List<Schema> versions) {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        String topic = path.getObjectName();
        Schema value = databaseExists(path.getDatabaseName()) && topics().contains(topic)
                ? latest(registry.subjectSchemas(topic + "-value"))
                : null;
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
        Schema schema = TopicTableMapper.valueSchemaOf(
                topic, resolved.getResolvedSchema().toPhysicalRowDataType());
        int partitions = Integer.parseInt(table.getOptions().getOrDefault("partitions", "1"));
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
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
        try {
            registry.deleteSubject(topic + "-value");
            registry.deleteSubject(topic + "-key");
        } catch (RegistryClientException e) {
            throw new CatalogException("deleted topic " + topic + " but not its subjects: " + e.getMessage(), e);
        }
    }
}
