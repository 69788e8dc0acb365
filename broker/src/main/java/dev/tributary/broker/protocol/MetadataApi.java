package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.topic.TopicInfo;
import dev.tributary.broker.topic.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: the brokers and the controller of {@link BrokerServices#clusterView()} (this broker alone on a
 * single node; the live brokers and the quorum leader on a cluster node). Topics are the ones this broker hosts,
 * and it leads every partition of them (partitions are not yet spread over a cluster). Unknown topics are
 * auto-created when the client allows it and {@code auto.create.topics.enable} is on.
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
        if (request.isAllTopics()) {
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
