package dev.tributary.spark.catalog;

import dev.tributary.serde.CachingRegistryClient;
import dev.tributary.spark.RecordSchema;
import dev.tributary.spark.TableFormat;
import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.TributaryTable;
import dev.tributary.spark.avro.AvroSchemas;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A Spark catalog whose tables are the broker's topics:
 *
 * <pre>
 * spark.sql.catalog.trib = dev.tributary.spark.catalog.TributaryCatalog
 * spark.sql.catalog.trib.tributary.bootstrap.servers = 127.0.0.1:9092
 * spark.sql.catalog.trib.schema.registry.url = http://127.0.0.1:8081     (optional)
 * </pre>
 *
 * <ul>
 *   <li>{@code SHOW TABLES IN trib} lists the topics (internal topics, whose names start with '_', are left out).</li>
 *   <li>A topic whose registry subject {@code <topic>-value} exists is a table with a typed {@code value} struct
 *       (the latest schema); any other topic has the binary schema of the {@code tributary} format.</li>
 *   <li>{@code CREATE TABLE trib.t (value STRUCT<...>) TBLPROPERTIES ('partitions'='3', 'retention.ms'='...')}
 *       creates the topic (other properties become topic configs) and registers the value struct's Avro
 *       schema; {@code DROP TABLE} deletes the topic.</li>
 * </ul>
 * Every other catalog option (e.g. {@code startingOffsets}, {@code kafka.*}) is a default for reads and writes.
 */
public final class TributaryCatalog implements TableCatalog {
    public static final String PARTITIONS = "partitions";
    private static final long TIMEOUT_S = 60;

    private String name;
    private Map<String, String> defaults;
    private Admin admin;
    private String registryUrl;

    @Override
    public void initialize(String name, CaseInsensitiveStringMap options) {
        this.name = name;
        this.defaults = new HashMap<>(options.asCaseSensitiveMap());
        TributaryOptions parsed = new TributaryOptions(defaults);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, parsed.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-spark-catalog-" + name);
        this.admin = Admin.create(p);
        this.registryUrl = parsed.get(TableFormat.REGISTRY_URL);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Identifier[] listTables(String[] namespace) {
        Set<String> topics = await(
                "list topics",
                () -> admin.listTopics(new ListTopicsOptions().listInternal(false))
                        .names()
                        .get(TIMEOUT_S, TimeUnit.SECONDS));
        return topics.stream()
                .filter(t -> !t.startsWith("_"))
                .sorted()
                .map(t -> Identifier.of(namespace, t))
                .toArray(Identifier[]::new);
    }

    @Override
    public Table loadTable(Identifier ident) throws NoSuchTableException {
        String topic = ident.name();
        if (!exists(topic)) {
            throw new NoSuchTableException(ident);
        }
        Map<String, String> props = new HashMap<>(defaults);
        props.put(TributaryOptions.SUBSCRIBE, topic);
        props.put(TributaryOptions.TOPIC, topic);
        Schema valueSchema = registryUrl == null ? null : AvroSchemas.latest(registryUrl, topic, false);
        TableFormat format = valueSchema == null
                ? TableFormat.binary(new TributaryOptions(props).includeHeaders())
                : TableFormat.avroValues(registryUrl, topic, valueSchema);
        return new TributaryTable(name + "." + topic, props, format);
    }

    private boolean exists(String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw TributaryErrors.brokerRequestFailed("describe topic '" + topic + "'", e.getCause());
        } catch (Exception e) {
            throw TributaryErrors.brokerRequestFailed("describe topic '" + topic + "'", e);
        }
    }

    @Override
    public Table createTable(
            Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties)
            throws TableAlreadyExistsException {
        String topic = ident.name();
        Map<String, String> configs = new HashMap<>();
        int count = 1;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().equals(PARTITIONS)) {
                count = Integer.parseInt(e.getValue());
            } else if (e.getKey().contains(".") && !e.getKey().startsWith("option.")) {
                configs.put(e.getKey(), e.getValue()); // topic configs use Kafka's dotted names (retention.ms ...)
            }
        }
        StructField value = schema.getFieldIndex(RecordSchema.VALUE).isDefined()
                ? schema.fields()[schema.fieldIndex(RecordSchema.VALUE)]
                : null;
        if (value != null && value.dataType() instanceof StructType struct) {
            if (registryUrl == null) {
                throw TributaryErrors.invalidOption(
                        TableFormat.REGISTRY_URL, null, "a typed value column needs the catalog's schema.registry.url");
            }
            Schema avro =
                    SchemaConverters.toAvroType(struct, false, topic.replaceAll("[^A-Za-z0-9_]", "_"), "dev.tributary");
            new CachingRegistryClient(registryUrl).register(AvroSchemas.subject(topic, false), avro);
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, count, (short) 1).configs(configs)))
                    .all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new TableAlreadyExistsException(ident);
            }
            throw TributaryErrors.brokerRequestFailed("create topic '" + topic + "'", e.getCause());
        } catch (Exception e) {
            throw TributaryErrors.brokerRequestFailed("create topic '" + topic + "'", e);
        }
        try {
            return loadTable(ident);
        } catch (NoSuchTableException e) {
            throw TributaryErrors.brokerRequestFailed("load the new topic '" + topic + "'", e);
        }
    }

    @Override
    public Table alterTable(Identifier ident, TableChange... changes) {
        throw new UnsupportedOperationException("ALTER TABLE is not supported for topics (table " + ident + ")");
    }

    @Override
    public boolean dropTable(Identifier ident) {
        if (!exists(ident.name())) {
            return false;
        }
        await(
                "delete topic '" + ident.name() + "'",
                () -> admin.deleteTopics(List.of(ident.name())).all().get(TIMEOUT_S, TimeUnit.SECONDS));
        return true;
    }

    @Override
    public void renameTable(Identifier oldIdent, Identifier newIdent) {
        throw new UnsupportedOperationException("topics cannot be renamed (" + oldIdent + " -> " + newIdent + ")");
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T await(String what, Call<T> call) {
        try {
            return call.call();
        } catch (ExecutionException e) {
            throw TributaryErrors.brokerRequestFailed(what, e.getCause());
        } catch (Exception e) {
            throw TributaryErrors.brokerRequestFailed(what, e);
        }
    }
}
