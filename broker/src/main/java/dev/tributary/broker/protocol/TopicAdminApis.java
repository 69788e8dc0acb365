package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.errors.InvalidReplicaAssignmentException;
import dev.tributary.broker.errors.InvalidReplicationFactorException;
import dev.tributary.broker.errors.InvalidRequestException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.topic.ConfigDescriber;
import dev.tributary.broker.topic.ConfigEntry;
import dev.tributary.broker.topic.TopicInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

/**
 * CreateTopics, DeleteTopics and CreatePartitions. Each topic succeeds or fails on its own. On a cluster node
 * they go through the metadata quorum ({@link ClusterTopics}), except for the broker's own topics, which each
 * node still keeps for itself.
 */
final class TopicAdminApis implements ApiGroup {
    private final BrokerServices services;
    private final ConfigDescriber describer;

    TopicAdminApis(BrokerServices services) {
        this.services = services;
        this.describer = new ConfigDescriber(services.config(), services.topics());
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.CREATE_TOPICS, 2, 7, this::createTopics);
        registry.register(ApiKeys.DELETE_TOPICS, 1, 6, this::deleteTopics);
        registry.register(ApiKeys.CREATE_PARTITIONS, 0, 3, this::createPartitions);
    }

    private void createTopics(RequestContext ctx, CreateTopicsRequest request) {
        CreateTopicsRequestData data = request.data();
        CreateTopicsResponseData.CreatableTopicResultCollection results =
                new CreateTopicsResponseData.CreatableTopicResultCollection();
        for (CreateTopicsRequestData.CreatableTopic t : data.topics()) {
            CreateTopicsResponseData.CreatableTopicResult r =
                    new CreateTopicsResponseData.CreatableTopicResult().setName(t.name());
            try {
                ClusterTopics cluster = services.clusterTopics();
                if (cluster != null && !ClusterTopics.isLocalOnly(t.name())) {
                    createInCluster(cluster, t, data.validateOnly(), r);
                    results.add(r);
                    continue;
                }
                if (t.replicationFactor() != -1 && t.replicationFactor() != 1) {
                    throw new InvalidReplicationFactorException("Replication factor " + t.replicationFactor()
                            + " is larger than the 1 broker of this cluster");
                }
                int partitions = t.numPartitions();
                if (!t.assignments().isEmpty()) {
                    for (CreateTopicsRequestData.CreatableReplicaAssignment a : t.assignments()) {
                        if (!a.brokerIds().equals(List.of(services.nodeId()))) {
                            throw new InvalidReplicaAssignmentException(
                                    "Assignment " + a.brokerIds() + " for partition " + a.partitionIndex()
                                            + " names brokers other than " + services.nodeId());
                        }
                    }
                    partitions = t.assignments().size();
                }
                Map<String, String> configs = configMap(t);
                TopicInfo created = services.topics().create(t.name(), partitions, configs, data.validateOnly());
                r.setErrorCode(Errors.NONE.code())
                        .setTopicId(data.validateOnly() ? Uuid.ZERO_UUID : MetadataApi.uuid(created.topicId()))
                        .setNumPartitions(created.partitions())
                        .setReplicationFactor((short) 1)
                        .setConfigs(configs(created));
            } catch (RuntimeException e) {
                r.setErrorCode(ErrorCodes.code(e))
                        .setErrorMessage(e.getMessage())
                        .setNumPartitions(-1)
                        .setReplicationFactor((short) -1);
            }
            results.add(r);
        }
        ctx.respond(new CreateTopicsResponseData().setThrottleTimeMs(0).setTopics(results));
    }

    private void createInCluster(
            ClusterTopics cluster,
            CreateTopicsRequestData.CreatableTopic t,
            boolean validateOnly,
            CreateTopicsResponseData.CreatableTopicResult r) {
        List<List<Integer>> assignment = new ArrayList<>();
        if (!t.assignments().isEmpty()) {
            for (int p = 0; p < t.assignments().size(); p++) {
                CreateTopicsRequestData.CreatableReplicaAssignment a =
                        t.assignments().find(p);
                if (a == null) {
                    throw new InvalidReplicaAssignmentException(
                            "The assignment names no replicas for partition " + p + " of " + t.name());
                }
                assignment.add(a.brokerIds());
            }
        }
        Map<String, String> configs = configMap(t);
        ClusterTopics.Created created =
                cluster.create(t.name(), t.numPartitions(), t.replicationFactor(), assignment, configs, validateOnly);
        r.setErrorCode(Errors.NONE.code())
                .setTopicId(validateOnly ? Uuid.ZERO_UUID : MetadataApi.uuid(created.topicId()))
                .setNumPartitions(created.partitions())
                .setReplicationFactor((short) created.replicationFactor())
                .setConfigs(configs(new TopicInfo(t.name(), created.topicId(), created.partitions(), configs)));
    }

    private static Map<String, String> configMap(CreateTopicsRequestData.CreatableTopic t) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
            if (c.value() == null) {
                throw new InvalidRequestException("Config " + c.name() + " has a null value");
            }
            configs.put(c.name(), c.value());
        }
        return configs;
    }

    private List<CreateTopicsResponseData.CreatableTopicConfigs> configs(TopicInfo t) {
        List<CreateTopicsResponseData.CreatableTopicConfigs> out = new ArrayList<>();
        for (ConfigEntry e : describer.describeTopic(t)) {
            out.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                    .setName(e.name())
                    .setValue(e.value())
                    .setReadOnly(e.readOnly())
                    .setConfigSource(ConfigApis.source(e.source()))
                    .setIsSensitive(false));
        }
        return out;
    }

    private void deleteTopics(RequestContext ctx, DeleteTopicsRequest request) {
        DeleteTopicsRequestData data = request.data();
        DeleteTopicsResponseData.DeletableTopicResultCollection results =
                new DeleteTopicsResponseData.DeletableTopicResultCollection();
        List<DeleteTopicsRequestData.DeleteTopicState> targets = new ArrayList<>(data.topics());
        for (String name : data.topicNames()) {
            targets.add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
        }
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            DeleteTopicsResponseData.DeletableTopicResult r = new DeleteTopicsResponseData.DeletableTopicResult();
            String name = target.name();
            try {
                if (name == null) {
                    name = nameOf(target.topicId());
                    r.setTopicId(target.topicId());
                }
                r.setName(name);
                ClusterTopics cluster = services.clusterTopics();
                if (!services.config().deleteTopicEnable()) {
                    r.setErrorCode(Errors.TOPIC_DELETION_DISABLED.code())
                            .setErrorMessage("delete.topic.enable is false");
                } else if (cluster != null && !ClusterTopics.isLocalOnly(name)) {
                    UUID id = cluster.delete(name);
                    r.setErrorCode(Errors.NONE.code());
                    if (id != null) {
                        r.setTopicId(MetadataApi.uuid(id));
                    }
                } else {
                    TopicInfo t = services.topics()
                            .get(name)
                            .orElseThrow(() ->
                                    new UnknownTopicOrPartitionException("Topic " + target.name() + " does not exist"));
                    services.topics().delete(name);
                    r.setTopicId(MetadataApi.uuid(t.topicId())).setErrorCode(Errors.NONE.code());
                }
            } catch (RuntimeException e) {
                r.setErrorCode(ErrorCodes.code(e)).setErrorMessage(e.getMessage());
                if (r.name() == null && ctx.apiVersion() < 6) {
                    r.setName("");
                }
            }
            results.add(r);
        }
        ctx.respond(new DeleteTopicsResponseData().setThrottleTimeMs(0).setResponses(results));
    }

    private String nameOf(Uuid id) {
        ClusterTopics cluster = services.clusterTopics();
        if (cluster != null) {
            for (var t : cluster.image().topics().values()) {
                if (MetadataApi.uuid(t.topicId()).equals(id)) {
                    return t.name();
                }
            }
        }
        for (TopicInfo t : services.topics().all()) {
            if (MetadataApi.uuid(t.topicId()).equals(id)) {
                return t.name();
            }
        }
        throw new UnknownTopicOrPartitionException("No topic with id " + id);
    }

    private void createPartitions(RequestContext ctx, CreatePartitionsRequest request) {
        CreatePartitionsRequestData data = request.data();
        List<CreatePartitionsResponseData.CreatePartitionsTopicResult> results = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : data.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult r =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name());
            try {
                ClusterTopics cluster = services.clusterTopics();
                if (cluster != null && !ClusterTopics.isLocalOnly(t.name())) {
                    if (t.assignments() != null && !t.assignments().isEmpty()) {
                        throw new InvalidReplicaAssignmentException("Explicit assignments of new partitions are not"
                                + " supported yet; leave them out and the cluster assigns the new partitions");
                    }
                    cluster.createPartitions(t.name(), t.count(), data.validateOnly());
                    r.setErrorCode(Errors.NONE.code());
                    results.add(r);
                    continue;
                }
                services.topics().createPartitions(t.name(), t.count(), data.validateOnly());
                r.setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                r.setErrorCode(ErrorCodes.code(e)).setErrorMessage(e.getMessage());
            }
            results.add(r);
        }
        ctx.respond(new CreatePartitionsResponseData().setThrottleTimeMs(0).setResults(results));
    }
}
