package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.errors.InvalidRequestException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.topic.ConfigDescriber;
import dev.tributary.broker.topic.ConfigEntry;
import dev.tributary.broker.topic.ReplicationTopicConfigs;
import dev.tributary.broker.topic.TopicInfo;
import dev.tributary.broker.topic.UnavailableTopicConfigs;
import dev.tributary.log.LogConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

/**
 * DescribeConfigs and IncrementalAlterConfigs for TOPIC and BROKER resources, with Kafka's config
 * names. Topic changes apply to the partitions' logs at once and are persisted.
 */
final class ConfigApis implements ApiGroup {
    private static final byte OP_SET = 0;
    private static final byte OP_DELETE = 1;
    private static final byte OP_APPEND = 2;
    private static final byte OP_SUBTRACT = 3;

    private final BrokerServices services;
    private final ConfigDescriber describer;

    ConfigApis(BrokerServices services) {
        this.services = services;
        this.describer = new ConfigDescriber(services.config(), services.topics());
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.DESCRIBE_CONFIGS, 1, 4, this::describeConfigs);
        registry.register(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, this::incrementalAlterConfigs);
    }

    static byte source(ConfigEntry.Source s) {
        return switch (s) {
            case TOPIC_OVERRIDE -> DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id();
            case DYNAMIC_BROKER -> DescribeConfigsResponse.ConfigSource.DYNAMIC_BROKER_CONFIG.id();
            case DYNAMIC_BROKER_DEFAULT -> DescribeConfigsResponse.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id();
            case STATIC_BROKER -> DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG.id();
            case DEFAULT -> DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id();
        };
    }

    private static byte type(ConfigEntry.Type t) {
        return switch (t) {
            case BOOLEAN -> DescribeConfigsResponse.ConfigType.BOOLEAN.id();
            case STRING -> DescribeConfigsResponse.ConfigType.STRING.id();
            case INT -> DescribeConfigsResponse.ConfigType.INT.id();
            case LONG -> DescribeConfigsResponse.ConfigType.LONG.id();
            case DOUBLE -> DescribeConfigsResponse.ConfigType.DOUBLE.id();
            case LIST -> DescribeConfigsResponse.ConfigType.LIST.id();
        };
    }

    private void describeConfigs(RequestContext ctx, DescribeConfigsRequest request) {
        DescribeConfigsRequestData data = request.data();
        List<DescribeConfigsResponseData.DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsRequestData.DescribeConfigsResource res : data.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult r =
                    new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(res.resourceType())
                            .setResourceName(res.resourceName());
            try {
                List<ConfigEntry> entries = entries(res.resourceType(), res.resourceName());
                List<DescribeConfigsResponseData.DescribeConfigsResourceResult> configs = new ArrayList<>();
                Set<String> wanted =
                        res.configurationKeys() == null ? null : new LinkedHashSet<>(res.configurationKeys());
                for (ConfigEntry e : entries) {
                    if (wanted != null && !wanted.contains(e.name())) {
                        continue;
                    }
                    DescribeConfigsResponseData.DescribeConfigsResourceResult c =
                            new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                                    .setName(e.name())
                                    .setValue(e.value())
                                    .setReadOnly(e.readOnly())
                                    .setConfigSource(source(e.source()))
                                    .setIsSensitive(false);
                    if (ctx.apiVersion() >= 3) { // type and documentation arrived in v3
                        c.setConfigType(type(e.type()))
                                .setDocumentation(data.includeDocumentation() ? e.documentation() : null);
                    }
                    configs.add(c);
                }
                r.setErrorCode(Errors.NONE.code()).setConfigs(configs);
            } catch (RuntimeException e) {
                r.setErrorCode(ErrorCodes.code(e)).setErrorMessage(e.getMessage());
            }
            results.add(r);
        }
        ctx.respond(new DescribeConfigsResponseData().setThrottleTimeMs(0).setResults(results));
    }

    private List<ConfigEntry> entries(byte resourceType, String name) {
        if (resourceType == ConfigResource.Type.TOPIC.id()) {
            return describer.describeTopic(topic(name));
        }
        if (resourceType == ConfigResource.Type.BROKER.id()) {
            checkBroker(name);
            return describer.describeBroker();
        }
        throw new InvalidRequestException(
                "Config resource type " + resourceType + " is not supported; use TOPIC or BROKER");
    }

    /** A topic of this node, or on a cluster node a topic of the cluster. */
    private TopicInfo topic(String name) {
        ClusterTopics cluster = services.clusterTopics();
        TopicInfo clusterTopic = cluster == null ? null : cluster.info(name);
        if (clusterTopic != null) {
            return clusterTopic;
        }
        return services.topics()
                .get(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic " + name + " does not exist"));
    }

    private void checkBroker(String name) {
        if (!name.isEmpty() && !name.equals(Integer.toString(services.nodeId()))) {
            throw new InvalidRequestException("Unknown broker " + name + "; this is broker " + services.nodeId());
        }
    }

    private void incrementalAlterConfigs(RequestContext ctx, IncrementalAlterConfigsRequest request) {
        IncrementalAlterConfigsRequestData data = request.data();
        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> results = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource res : data.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse r =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(res.resourceType())
                            .setResourceName(res.resourceName());
            try {
                if (res.resourceType() == ConfigResource.Type.TOPIC.id()) {
                    TopicInfo t = topic(res.resourceName());
                    Map<String, String> next = apply(new LinkedHashMap<>(t.configs()), res.configs(), true);
                    ClusterTopics cluster = services.clusterTopics();
                    if (cluster != null && cluster.info(t.name()) != null) {
                        cluster.setConfigs(t.name(), next, data.validateOnly());
                    } else {
                        services.topics().setTopicConfigs(t.name(), next, data.validateOnly());
                    }
                } else if (res.resourceType() == ConfigResource.Type.BROKER.id()) {
                    checkBroker(res.resourceName());
                    Map<String, String> next =
                            apply(new LinkedHashMap<>(services.topics().brokerDynamicConfigs()), res.configs(), false);
                    services.topics().setBrokerConfigs(next, data.validateOnly());
                    services.replicationThrottle().rates(services.brokerConfigValues());
                } else {
                    throw new InvalidRequestException(
                            "Config resource type " + res.resourceType() + " is not supported; use TOPIC or BROKER");
                }
                r.setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                r.setErrorCode(ErrorCodes.code(e)).setErrorMessage(e.getMessage());
            }
            results.add(r);
        }
        ctx.respond(
                new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0).setResponses(results));
    }

    /** Applies SET/DELETE/APPEND/SUBTRACT to a set of overrides. */
    private static Map<String, String> apply(
            Map<String, String> current,
            IncrementalAlterConfigsRequestData.AlterableConfigCollection ops,
            boolean topicLevel) {
        for (IncrementalAlterConfigsRequestData.AlterableConfig op : ops) {
            String key = op.name();
            if (topicLevel && op.configOperation() != OP_DELETE) {
                UnavailableTopicConfigs.refuse(key, op.value());
            }
            if (topicLevel
                    && !ReplicationTopicConfigs.isKey(key)
                    && LogConfig.KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new InvalidConfigException("Unknown topic config '" + key + "'");
            }
            if (topicLevel && op.configOperation() == OP_SET) {
                ReplicationTopicConfigs.validate(key, op.value());
            }
            switch (op.configOperation()) {
                case OP_SET -> {
                    if (op.value() == null) {
                        throw new InvalidConfigException("Config " + key + " needs a value for SET");
                    }
                    current.put(key, op.value());
                }
                case OP_DELETE -> current.remove(key);
                case OP_APPEND, OP_SUBTRACT -> {
                    if (!key.equals(LogConfig.CLEANUP_POLICY) && !key.equals("log.cleanup.policy")) {
                        throw new InvalidConfigException(
                                "Config " + key + " is not a list; APPEND and SUBTRACT apply to lists");
                    }
                    Set<String> items = new LinkedHashSet<>();
                    String existing = current.get(key);
                    if (existing != null && !existing.isBlank()) {
                        items.addAll(Arrays.asList(existing.split(",")));
                    }
                    List<String> change = op.value() == null
                            ? List.of()
                            : Arrays.asList(op.value().split(","));
                    if (op.configOperation() == OP_APPEND) {
                        items.addAll(change);
                    } else {
                        items.removeAll(change);
                    }
                    current.put(key, String.join(",", items));
                }
                default ->
                    throw new InvalidRequestException(
                            "Unknown config operation " + op.configOperation() + " for " + key);
            }
        }
        return current;
    }
}
