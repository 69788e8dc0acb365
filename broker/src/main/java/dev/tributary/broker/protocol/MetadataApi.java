package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.errors.MetadataRejectedException;
import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.topic.TopicInfo;
import dev.tributary.broker.topic.TopicNames;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: the brokers and the controller of {@link BrokerServices#clusterView()} (this broker alone on a
 * single node; the live brokers and the quorum leader on a cluster node). On a single node the topics are the
 * ones this broker hosts, and it leads every partition of them. On a cluster node the topics come from the
 * metadata image (leader, replicas, ISR, offline replicas and leader epoch of each partition), plus the
 * broker's own topics, which each node still keeps for itself and leads. Unknown topics are auto-created when
 * the client allows it and {@code auto.create.topics.enable} is on (on a cluster node through the quorum; the
 * answer is then {@code LEADER_NOT_AVAILABLE} until this node's image has the topic, and the client asks again).
 */
final class MetadataApi implements ApiGroup {
    private final BrokerServices services;

    MetadataApi(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.METADATA, 0, 12, this::metadata);
    }

    static Uuid uuid(java.util.UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    private void metadata(RequestContext ctx, MetadataRequest request) {
        MetadataRequestData data = request.data();
        int node = services.nodeId();
        ClusterView cluster = services.clusterView();
        MetadataResponseData.MetadataResponseBrokerCollection brokers =
                new MetadataResponseData.MetadataResponseBrokerCollection();
        for (ClusterView.Node n : cluster.brokers()) {
            brokers.add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(n.id())
                    .setHost(n.host())
                    .setPort(n.port())
                    .setRack(null));
        }

        MetadataResponseData.MetadataResponseTopicCollection topics =
                new MetadataResponseData.MetadataResponseTopicCollection();
        ClusterTopics clusterTopics = services.clusterTopics();
        if (clusterTopics != null) {
            clusterTopics(ctx, request, clusterTopics, topics);
        } else if (request.isAllTopics()) {
            for (TopicInfo t : services.topics().all()) {
                topics.add(topic(t, node));
            }
        } else {
            boolean autoCreate = ctx.apiVersion() < 4 || data.allowAutoTopicCreation();
            for (MetadataRequestData.MetadataRequestTopic rt : data.topics()) {
                String name = rt.name();
                if (name == null && rt.topicId() != null && !Uuid.ZERO_UUID.equals(rt.topicId())) {
                    topics.add(byId(rt.topicId(), node));
                    continue;
                }
                topics.add(lookup(name, autoCreate, node));
            }
        }
        MetadataResponseData response = new MetadataResponseData()
                .setThrottleTimeMs(0)
                .setBrokers(brokers)
                .setClusterId(services.clusterId())
                .setControllerId(cluster.controllerId())
                .setTopics(topics);
        ctx.respond(response);
    }

    /** A cluster node's topics: the image's, and this node's own internal topics. */
    private void clusterTopics(
            RequestContext ctx,
            MetadataRequest request,
            ClusterTopics cluster,
            MetadataResponseData.MetadataResponseTopicCollection out) {
        int node = services.nodeId();
        MetadataImage image = cluster.image();
        if (request.isAllTopics()) {
            for (TopicImage t : image.topics().values()) {
                if (!ClusterTopics.isLocalOnly(t.name())) {
                    out.add(topic(t, image));
                }
            }
            for (TopicInfo t : services.topics().all()) {
                if (ClusterTopics.isLocalOnly(t.name())) {
                    out.add(topic(t, node));
                }
            }
            return;
        }
        boolean autoCreate = ctx.apiVersion() < 4 || request.data().allowAutoTopicCreation();
        for (MetadataRequestData.MetadataRequestTopic rt : request.data().topics()) {
            String name = rt.name();
            if (name == null && rt.topicId() != null && !Uuid.ZERO_UUID.equals(rt.topicId())) {
                TopicImage byId = image.topics().values().stream()
                        .filter(t -> uuid(t.topicId()).equals(rt.topicId()))
                        .findFirst()
                        .orElse(null);
                out.add(byId != null ? topic(byId, image) : byId(rt.topicId(), node));
                continue;
            }
            if (name == null || ClusterTopics.isLocalOnly(name)) {
                out.add(lookup(name, autoCreate, node));
                continue;
            }
            out.add(clusterLookup(name, autoCreate, cluster));
        }
    }

    private MetadataResponseData.MetadataResponseTopic clusterLookup(
            String name, boolean autoCreate, ClusterTopics cluster) {
        try {
            TopicNames.validate(name);
            TopicImage t = cluster.topic(name);
            // the broker's own topics are created by their services, with their settings (never with defaults)
            if (t == null
                    && autoCreate
                    && services.topics().autoCreateEnabled()
                    && !TopicNames.isProtectedFromDeletion(name)) {
                try {
                    cluster.create(name, -1, -1, List.of(), Map.of(), false);
                } catch (TopicExistsException | MetadataRejectedException e) {
                    if (ErrorCodes.of(e) != Errors.TOPIC_ALREADY_EXISTS) {
                        throw e;
                    }
                    // created meanwhile by another client
                }
                t = cluster.topic(name);
                if (t == null) {
                    return new MetadataResponseData.MetadataResponseTopic()
                            .setName(name)
                            .setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
                }
            }
            if (t == null) {
                return new MetadataResponseData.MetadataResponseTopic()
                        .setName(name)
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            return topic(t, cluster.image());
        } catch (RuntimeException e) {
            return new MetadataResponseData.MetadataResponseTopic()
                    .setName(name)
                    .setErrorCode(ErrorCodes.code(e));
        }
    }

    /** A cluster topic as the image has it; a partition without a leader is {@code LEADER_NOT_AVAILABLE}. */
    static MetadataResponseData.MetadataResponseTopic topic(TopicImage t, MetadataImage image) {
        List<MetadataResponseData.MetadataResponsePartition> partitions = new ArrayList<>(t.partitionCount());
        for (int p = 0; p < t.partitionCount(); p++) {
            PartitionState s = t.partition(p);
            List<Integer> offline = new ArrayList<>();
            for (int replica : s.replicas()) {
                if (!image.isLive(replica)) {
                    offline.add(replica);
                }
            }
            partitions.add(new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(s.hasLeader() ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(s.leader())
                    .setLeaderEpoch(s.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(s.replicas()))
                    .setIsrNodes(new ArrayList<>(s.isr()))
                    .setOfflineReplicas(offline));
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(t.name())
                .setTopicId(uuid(t.topicId()))
                .setIsInternal(t.name().startsWith("__"))
                .setPartitions(partitions);
    }

    private MetadataResponseData.MetadataResponseTopic lookup(String name, boolean autoCreate, int node) {
        try {
            TopicNames.validate(name);
            Optional<TopicInfo> t = services.topics().get(name);
            if (t.isEmpty() && autoCreate && services.topics().autoCreateEnabled()) {
                t = Optional.of(services.topics().getOrAutoCreate(name));
            }
            if (t.isEmpty()) {
                return new MetadataResponseData.MetadataResponseTopic()
                        .setName(name)
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            return topic(t.get(), node);
        } catch (RuntimeException e) {
            return new MetadataResponseData.MetadataResponseTopic()
                    .setName(name)
                    .setErrorCode(ErrorCodes.code(e));
        }
    }

    private MetadataResponseData.MetadataResponseTopic byId(Uuid id, int node) {
        for (TopicInfo t : services.topics().all()) {
            if (uuid(t.topicId()).equals(id)) {
                return topic(t, node);
            }
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setTopicId(id)
                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
    }

    static MetadataResponseData.MetadataResponseTopic topic(TopicInfo t, int node) {
        List<MetadataResponseData.MetadataResponsePartition> partitions = new ArrayList<>(t.partitions());
        List<Integer> replicas = List.of(node);
        for (int p = 0; p < t.partitions(); p++) {
            partitions.add(new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(node)
                    .setLeaderEpoch(0)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas)
                    .setOfflineReplicas(List.of()));
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(t.name())
                .setTopicId(uuid(t.topicId()))
                .setIsInternal(t.isInternal())
                .setPartitions(partitions);
    }
}
