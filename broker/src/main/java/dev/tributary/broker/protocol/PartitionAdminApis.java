package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.PartitionMoves;
import dev.tributary.broker.errors.InvalidReplicaAssignmentException;
import dev.tributary.broker.partition.PartitionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;

/**
 * AlterPartitionReassignments (v0-v1), ListPartitionReassignments (v0) and ElectLeaders (v0-v2): what
 * {@code kafka-reassign-partitions}, {@code kafka-leader-election} and the Admin client use to move replicas and
 * leadership. Translation only; {@link PartitionMoves} submits the changes to the metadata quorum. On a single
 * node nothing can move: a reassignment to anything but this node is INVALID_REPLICA_ASSIGNMENT, and an election
 * is ELECTION_NOT_NEEDED.
 */
final class PartitionAdminApis implements ApiGroup {
    private static final byte UNCLEAN = 1;

    private final BrokerServices services;

    PartitionAdminApis(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1, this::alterReassignments);
        registry.register(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0, this::listReassignments);
        registry.register(ApiKeys.ELECT_LEADERS, 0, 2, this::electLeaders);
    }

    private void alterReassignments(RequestContext ctx, AlterPartitionReassignmentsRequest request) {
        AlterPartitionReassignmentsRequestData data = request.data();
        PartitionMoves moves = services.partitionMoves();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        for (AlterPartitionReassignmentsRequestData.ReassignableTopic t : data.topics()) {
            AlterPartitionReassignmentsResponseData.ReassignableTopicResponse tr =
                    new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse().setName(t.name());
            for (AlterPartitionReassignmentsRequestData.ReassignablePartition p : t.partitions()) {
                PartitionId id = new PartitionId(t.name(), p.partitionIndex());
                AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse pr =
                        new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(Errors.NONE.code());
                try {
                    if (moves == null) {
                        singleNodeReassign(id, p.replicas());
                    } else {
                        moves.reassign(id, p.replicas());
                    }
                } catch (RuntimeException e) {
                    pr.setErrorCode(ErrorCodes.code(e)).setErrorMessage(ErrorCodes.message(e, id.toString()));
                }
                tr.partitions().add(pr);
            }
            response.responses().add(tr);
        }
        ctx.respond(response);
    }

    private void singleNodeReassign(PartitionId id, List<Integer> replicas) {
        services.partitions().serving(id);
        if (replicas == null || !replicas.equals(List.of(services.nodeId()))) {
            throw new InvalidReplicaAssignmentException("A single node cannot move " + id + " to " + replicas
                    + "; only broker " + services.nodeId() + " exists");
        }
    }

    private void listReassignments(RequestContext ctx, ListPartitionReassignmentsRequest request) {
        ListPartitionReassignmentsRequestData data = request.data();
        PartitionMoves moves = services.partitionMoves();
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        if (moves == null) {
            ctx.respond(response);
            return;
        }
        Set<PartitionId> wanted = null;
        if (data.topics() != null) {
            wanted = new HashSet<>();
            for (ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics t : data.topics()) {
                for (int p : t.partitionIndexes()) {
                    wanted.add(new PartitionId(t.name(), p));
                }
            }
        }
        Set<PartitionId> filter = wanted;
        Map<String, ListPartitionReassignmentsResponseData.OngoingTopicReassignment> byTopic = new HashMap<>();
        for (PartitionMoves.Reassignment r : moves.inProgress(id -> filter == null || filter.contains(id))) {
            byTopic.computeIfAbsent(r.partition().topic(), name -> {
                        ListPartitionReassignmentsResponseData.OngoingTopicReassignment t =
                                new ListPartitionReassignmentsResponseData.OngoingTopicReassignment().setName(name);
                        response.topics().add(t);
                        return t;
                    })
                    .partitions()
                    .add(new ListPartitionReassignmentsResponseData.OngoingPartitionReassignment()
                            .setPartitionIndex(r.partition().partition())
                            .setReplicas(new ArrayList<>(r.replicas()))
                            .setAddingReplicas(new ArrayList<>(r.adding()))
                            .setRemovingReplicas(new ArrayList<>(r.removing())));
        }
        ctx.respond(response);
    }

    private void electLeaders(RequestContext ctx, ElectLeadersRequest request) {
        ElectLeadersRequestData data = request.data();
        PartitionMoves moves = services.partitionMoves();
        boolean unclean = ctx.apiVersion() >= 1 && data.electionType() == UNCLEAN;
        List<PartitionId> partitions = new ArrayList<>();
        if (data.topicPartitions() == null) {
            if (moves != null) {
                partitions.addAll(moves.allPartitions());
            }
        } else {
            for (ElectLeadersRequestData.TopicPartitions t : data.topicPartitions()) {
                for (int p : t.partitions()) {
                    partitions.add(new PartitionId(t.topic(), p));
                }
            }
        }
        Map<String, ElectLeadersResponseData.ReplicaElectionResult> byTopic = new HashMap<>();
        ElectLeadersResponseData response =
                new ElectLeadersResponseData().setThrottleTimeMs(0).setErrorCode(Errors.NONE.code());
        for (PartitionId id : partitions) {
            ElectLeadersResponseData.PartitionResult pr = new ElectLeadersResponseData.PartitionResult()
                    .setPartitionId(id.partition())
                    .setErrorCode(Errors.NONE.code());
            try {
                if (moves == null) {
                    services.partitions().serving(id);
                    pr.setErrorCode(Errors.ELECTION_NOT_NEEDED.code())
                            .setErrorMessage("A single node always leads its partitions");
                } else {
                    moves.elect(id, unclean);
                }
            } catch (RuntimeException e) {
                pr.setErrorCode(ErrorCodes.code(e)).setErrorMessage(ErrorCodes.message(e, id.toString()));
            }
            byTopic.computeIfAbsent(id.topic(), name -> {
                        ElectLeadersResponseData.ReplicaElectionResult r =
                                new ElectLeadersResponseData.ReplicaElectionResult().setTopic(name);
                        response.replicaElectionResults().add(r);
                        return r;
                    })
                    .partitionResult()
                    .add(pr);
        }
        ctx.respond(response);
    }
}
