package dev.tributary.broker.protocol;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.group.CoordinatorLocator;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.group.GroupCoordinators;
import dev.tributary.broker.group.GroupDescription;
import dev.tributary.broker.group.GroupError;
import dev.tributary.broker.group.GroupOverview;
import dev.tributary.broker.group.GroupState;
import dev.tributary.broker.group.JoinGroup;
import dev.tributary.broker.group.LeaveGroup;
import dev.tributary.broker.group.OffsetManager;
import dev.tributary.broker.group.SyncGroup;
import dev.tributary.broker.partition.PartitionId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic consumer-group APIs: translation between kafka-clients' generated messages and
 * {@link GroupCoordinator}'s own types, per API version. No group logic lives here: each request goes to the
 * coordinator that owns its group ({@link GroupCoordinators#route}), or is answered with the error that says why
 * this node does not serve it ({@code NOT_COORDINATOR}, {@code COORDINATOR_LOAD_IN_PROGRESS}); FindCoordinator
 * asks the {@link CoordinatorLocator}.
 *
 * <p>Versions: OffsetCommit and OffsetFetch stop at v9 because v10 identifies topics by id, which this
 * broker does not implement. The KIP-848 consumer protocol (ConsumerGroupHeartbeat) is not offered, so
 * clients use the classic protocol.
 */
public final class GroupApis implements ApiGroup {

    private static final Logger LOG = LoggerFactory.getLogger(GroupApis.class);

    /** FindCoordinator key type of consumer groups; transactions (1) and share groups (2) are not served. */
    private static final byte GROUP_KEY_TYPE = 0;
    /** The only group type this coordinator has (ListGroups v5 filters by type). */
    private static final String CLASSIC = "classic";

    private final GroupCoordinators coordinators;
    private final CoordinatorLocator locator;
    private final Executor writers;

    /**
     * @param writers where the APIs that may write to {@code __consumer_offsets} run: the calling request handler
     *     on a single node, whose writes return at once; on a cluster node threads of their own, since a write
     *     waits for the ISR and the request handlers must stay free to serve the followers' fetches
     */
    public GroupApis(GroupCoordinators coordinators, CoordinatorLocator locator, Executor writers) {
        this.coordinators = coordinators;
        this.locator = locator;
        this.writers = writers;
    }

    @Override
    public void registerWith(ApiRegistry r) {
        r.register(ApiKeys.FIND_COORDINATOR, 0, 6, this::findCoordinator);
        // JoinGroup may fence a static member and SyncGroup stores the generation: both may write
        r.register(ApiKeys.JOIN_GROUP, 0, 9, onWriters(this::joinGroup));
        r.register(ApiKeys.SYNC_GROUP, 0, 5, onWriters(this::syncGroup));
        r.register(ApiKeys.HEARTBEAT, 0, 4, this::heartbeat);
        r.register(ApiKeys.LEAVE_GROUP, 0, 5, onWriters(this::leaveGroup));
        r.register(ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_COMMIT.oldestVersion(), 9, onWriters(this::offsetCommit));
        r.register(ApiKeys.OFFSET_FETCH, ApiKeys.OFFSET_FETCH.oldestVersion(), 9, this::offsetFetch);
        r.register(ApiKeys.LIST_GROUPS, 0, 5, this::listGroups);
        r.register(ApiKeys.DESCRIBE_GROUPS, 0, 6, this::describeGroups);
        r.register(ApiKeys.DELETE_GROUPS, 0, 2, onWriters(this::deleteGroups));
        r.register(ApiKeys.OFFSET_DELETE, 0, 0, onWriters(this::offsetDelete));
    }

    /**
     * Runs {@code handler} on {@link #writers}. A failure there is answered as {@code KafkaProtocol} answers a
     * handler's exception (the calling thread is gone by then), so the connection always gets its response.
     */
    private <R extends AbstractRequest> ApiHandler<R> onWriters(ApiHandler<R> handler) {
        return (ctx, req) -> writers.execute(() -> {
            try {
                handler.handle(ctx, req);
            } catch (Exception | AssertionError e) {
                if (ErrorCodes.of(e) == Errors.UNKNOWN_SERVER_ERROR) {
                    LOG.error("{} v{} from {} failed", ctx.apiKey(), ctx.apiVersion(), ctx.clientId(), e);
                }
                if (!ctx.isFinished()) {
                    ctx.respond(req.getErrorResponse(0, ErrorCodes.toApiException(e))
                            .data());
                }
            }
        });
    }

    /** Group outcomes map by name in the broker's one error table. */
    private static short code(GroupError e) {
        return ErrorCodes.code(e);
    }

    // ---------------------------------------------------------------- FindCoordinator

    private void findCoordinator(RequestContext ctx, FindCoordinatorRequest req) {
        byte keyType = req.data().keyType();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (ctx.apiVersion() < 4) {
            if (keyType == GROUP_KEY_TYPE) {
                CoordinatorLocator.Answer a = locator.locate(req.data().key());
                if (a instanceof CoordinatorLocator.Located l) {
                    response.setErrorCode(Errors.NONE.code())
                            .setNodeId(l.nodeId())
                            .setHost(l.host())
                            .setPort(l.port());
                } else {
                    CoordinatorLocator.Unavailable u = (CoordinatorLocator.Unavailable) a;
                    response.setErrorCode(code(u.error()))
                            .setErrorMessage(u.message())
                            .setNodeId(-1)
                            .setHost("")
                            .setPort(-1);
                }
            } else {
                response.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage(unsupportedKeyType(keyType))
                        .setNodeId(-1)
                        .setHost("")
                        .setPort(-1);
            }
        } else {
            for (String key : req.data().coordinatorKeys()) {
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator().setKey(key);
                CoordinatorLocator.Answer a = keyType == GROUP_KEY_TYPE ? locator.locate(key) : null;
                if (a instanceof CoordinatorLocator.Located l) {
                    c.setNodeId(l.nodeId()).setHost(l.host()).setPort(l.port()).setErrorCode(Errors.NONE.code());
                } else if (a instanceof CoordinatorLocator.Unavailable u) {
                    c.setNodeId(-1)
                            .setHost("")
                            .setPort(-1)
                            .setErrorCode(code(u.error()))
                            .setErrorMessage(u.message());
                } else {
                    c.setNodeId(-1)
                            .setHost("")
                            .setPort(-1)
                            .setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage(unsupportedKeyType(keyType));
                }
                response.coordinators().add(c);
            }
        }
        ctx.respond(response);
    }

    private static String unsupportedKeyType(byte keyType) {
        return "coordinator key type " + keyType + " is not supported: Tributary coordinates consumer groups "
                + "only (no transactions, no share groups)";
    }

    // ---------------------------------------------------------------- JoinGroup, SyncGroup

    private void joinGroup(RequestContext ctx, JoinGroupRequest req) {
        JoinGroupRequestData d = req.data();
        short version = ctx.apiVersion();
        List<JoinGroup.Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : d.protocols()) {
            protocols.add(new JoinGroup.Protocol(p.name(), p.metadata()));
        }
        // v0 has no rebalance timeout; Kafka uses the session timeout for it.
        int rebalanceTimeout = version == 0 ? d.sessionTimeoutMs() : d.rebalanceTimeoutMs();
        String host = ctx.clientAddress() == null
                ? ""
                : "/" + ctx.clientAddress().getAddress().getHostAddress();
        JoinGroup.Request r = new JoinGroup.Request(
                d.groupId(),
                d.memberId(),
                d.groupInstanceId(),
                ctx.clientId() == null ? "" : ctx.clientId(),
                host,
                d.sessionTimeoutMs(),
                rebalanceTimeout,
                d.protocolType(),
                protocols,
                version >= 4);
        GroupCoordinator coordinator = routeOrNull(
                d.groupId(),
                e -> ctx.respond(
                        joinResponse(JoinGroup.Result.error(e, d.memberId() == null ? "" : d.memberId()), version)));
        if (coordinator != null) {
            coordinator.joinGroup(r, result -> ctx.respond(joinResponse(result, version)));
        }
    }

    private static JoinGroupResponseData joinResponse(JoinGroup.Result r, short version) {
        List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>();
        for (JoinGroup.Member m : r.members()) {
            members.add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadata()));
        }
        // protocolType and protocolName are nullable only from v7.
        String protocolName = r.protocolName() == null && version < 7 ? "" : r.protocolName();
        return new JoinGroupResponseData()
                .setErrorCode(code(r.error()))
                .setGenerationId(r.generationId())
                .setProtocolType(r.protocolType())
                .setProtocolName(protocolName)
                .setLeader(r.leaderId() == null ? "" : r.leaderId())
                .setMemberId(r.memberId() == null ? "" : r.memberId())
                .setMembers(members);
    }

    private void syncGroup(RequestContext ctx, SyncGroupRequest req) {
        SyncGroupRequestData d = req.data();
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : d.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        SyncGroup.Request r = new SyncGroup.Request(
                d.groupId(),
                d.generationId(),
                d.memberId(),
                d.groupInstanceId(),
                d.protocolType(),
                d.protocolName(),
                assignments);
        GroupCoordinator coordinator =
                routeOrNull(d.groupId(), e -> ctx.respond(syncResponse(SyncGroup.Result.error(e))));
        if (coordinator == null) {
            return;
        }
        coordinator.syncGroup(r, result -> ctx.respond(syncResponse(result)));
    }

    private static SyncGroupResponseData syncResponse(SyncGroup.Result result) {
        return new SyncGroupResponseData()
                .setErrorCode(code(result.error()))
                .setProtocolType(result.protocolType())
                .setProtocolName(result.protocolName())
                .setAssignment(result.assignment());
    }

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup

    private void heartbeat(RequestContext ctx, HeartbeatRequest req) {
        GroupCoordinator coordinator =
                routeOrNull(req.data().groupId(), e -> ctx.respond(new HeartbeatResponseData().setErrorCode(code(e))));
        if (coordinator == null) {
            return;
        }
        GroupError e = coordinator.heartbeat(
                req.data().groupId(),
                req.data().memberId(),
                req.data().groupInstanceId(),
                req.data().generationId());
        ctx.respond(new HeartbeatResponseData().setErrorCode(code(e)));
    }

    private void leaveGroup(RequestContext ctx, LeaveGroupRequest req) {
        LeaveGroupRequestData d = req.data();
        List<LeaveGroup.Identity> leaving = new ArrayList<>();
        if (ctx.apiVersion() < 3) {
            leaving.add(new LeaveGroup.Identity(d.memberId(), null));
        } else {
            for (LeaveGroupRequestData.MemberIdentity m : d.members()) {
                leaving.add(new LeaveGroup.Identity(m.memberId(), m.groupInstanceId()));
            }
        }
        GroupCoordinator coordinator =
                routeOrNull(d.groupId(), e -> ctx.respond(new LeaveGroupResponseData().setErrorCode(code(e))));
        if (coordinator == null) {
            return;
        }
        LeaveGroup.Result result = coordinator.leaveGroup(d.groupId(), leaving);
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (ctx.apiVersion() < 3) {
            // One member, one error: before v3 the member's error is the request's error.
            GroupError e = result.error() != GroupError.NONE
                    ? result.error()
                    : result.members().get(0).error();
            response.setErrorCode(code(e));
        } else {
            response.setErrorCode(code(result.error()));
            for (LeaveGroup.MemberResult m : result.members()) {
                response.members()
                        .add(new LeaveGroupResponseData.MemberResponse()
                                .setMemberId(m.memberId())
                                .setGroupInstanceId(m.groupInstanceId())
                                .setErrorCode(code(m.error())));
            }
        }
        ctx.respond(response);
    }

    // ---------------------------------------------------------------- offsets

    private void offsetCommit(RequestContext ctx, OffsetCommitRequest req) {
        OffsetCommitRequestData d = req.data();
        Map<PartitionId, CommittedOffset> offsets = new LinkedHashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : d.topics()) {
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                offsets.put(
                        new PartitionId(t.name(), p.partitionIndex()),
                        new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata(), 0));
            }
        }
        GroupCoordinators.Route route = coordinators.route(d.groupId());
        Map<PartitionId, GroupError> result;
        if (route instanceof GroupCoordinators.Served served) {
            result = served.coordinator()
                    .offsets()
                    .commit(d.groupId(), d.memberId(), d.groupInstanceId(), d.generationIdOrMemberEpoch(), offsets);
        } else {
            GroupError refused = ((GroupCoordinators.Refused) route).error();
            result = new LinkedHashMap<>();
            offsets.keySet().forEach(tp -> result.put(tp, refused));
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        Map<String, OffsetCommitResponseData.OffsetCommitResponseTopic> topics = new LinkedHashMap<>();
        result.forEach((tp, e) -> topics.computeIfAbsent(tp.topic(), n -> {
                    OffsetCommitResponseData.OffsetCommitResponseTopic t =
                            new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(n);
                    response.topics().add(t);
                    return t;
                })
                .partitions()
                .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(tp.partition())
                        .setErrorCode(code(e))));
        ctx.respond(response);
    }

    private void offsetFetch(RequestContext ctx, OffsetFetchRequest req) {
        OffsetFetchRequestData d = req.data();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (ctx.apiVersion() < 8) {
            List<PartitionId> wanted = null;
            if (d.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : d.topics()) {
                    for (int p : t.partitionIndexes()) {
                        wanted.add(new PartitionId(t.name(), p));
                    }
                }
            }
            GroupCoordinators.Route route = coordinators.route(d.groupId());
            if (route instanceof GroupCoordinators.Refused refused) {
                // v0 and v1 have no group-level error: Kafka puts it on every partition asked for
                response.setErrorCode(code(refused.error()));
                if (wanted != null) {
                    Map<String, OffsetFetchResponseData.OffsetFetchResponseTopic> byTopic = new LinkedHashMap<>();
                    for (PartitionId tp : wanted) {
                        byTopic.computeIfAbsent(tp.topic(), n -> {
                                    OffsetFetchResponseData.OffsetFetchResponseTopic t =
                                            new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(n);
                                    response.topics().add(t);
                                    return t;
                                })
                                .partitions()
                                .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                        .setPartitionIndex(tp.partition())
                                        .setCommittedOffset(-1)
                                        .setErrorCode(code(refused.error())));
                    }
                }
                ctx.respond(response);
                return;
            }
            Map<PartitionId, CommittedOffset> found =
                    ((GroupCoordinators.Served) route).coordinator().offsets().fetch(d.groupId(), wanted);
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopic> topics = new LinkedHashMap<>();
            for (PartitionId tp : wanted == null ? found.keySet() : wanted) {
                CommittedOffset o = found.get(tp);
                topics.computeIfAbsent(tp.topic(), n -> {
                            OffsetFetchResponseData.OffsetFetchResponseTopic t =
                                    new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(n);
                            response.topics().add(t);
                            return t;
                        })
                        .partitions()
                        .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(tp.partition())
                                .setCommittedOffset(o == null ? -1 : o.offset())
                                .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                                .setMetadata(o == null ? "" : o.metadata())
                                .setErrorCode(Errors.NONE.code()));
            }
            response.setErrorCode(Errors.NONE.code());
        } else {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup g : d.groups()) {
                response.groups().add(fetchGroup(g));
            }
        }
        ctx.respond(response);
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(
            OffsetFetchRequestData.OffsetFetchRequestGroup g) {
        List<PartitionId> wanted = null;
        if (g.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                for (int p : t.partitionIndexes()) {
                    wanted.add(new PartitionId(t.name(), p));
                }
            }
        }
        GroupCoordinators.Route route = coordinators.route(g.groupId());
        if (route instanceof GroupCoordinators.Refused refused) {
            return new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(g.groupId())
                    .setErrorCode(code(refused.error()));
        }
        Map<PartitionId, CommittedOffset> found =
                ((GroupCoordinators.Served) route).coordinator().offsets().fetch(g.groupId(), wanted);
        OffsetFetchResponseData.OffsetFetchResponseGroup group = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(g.groupId())
                .setErrorCode(Errors.NONE.code());
        Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        for (PartitionId tp : wanted == null ? found.keySet() : wanted) {
            CommittedOffset o = found.get(tp);
            topics.computeIfAbsent(tp.topic(), n -> {
                        OffsetFetchResponseData.OffsetFetchResponseTopics t =
                                new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(n);
                        group.topics().add(t);
                        return t;
                    })
                    .partitions()
                    .add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                            .setPartitionIndex(tp.partition())
                            .setCommittedOffset(o == null ? -1 : o.offset())
                            .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                            .setMetadata(o == null ? "" : o.metadata())
                            .setErrorCode(Errors.NONE.code()));
        }
        return group;
    }

    // ---------------------------------------------------------------- admin

    private void listGroups(RequestContext ctx, ListGroupsRequest req) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
        if (ctx.apiVersion() >= 4) {
            for (String s : req.data().statesFilter()) {
                GroupState state = GroupState.fromKafkaName(s);
                if (state == null) {
                    // A state this coordinator never has (e.g. "Assigning" of the new protocol) matches nothing.
                    continue;
                }
                states.add(state);
            }
            if (!req.data().statesFilter().isEmpty() && states.isEmpty()) {
                ctx.respond(response);
                return;
            }
        }
        if (ctx.apiVersion() >= 5
                && !req.data().typesFilter().isEmpty()
                && req.data().typesFilter().stream().noneMatch(CLASSIC::equalsIgnoreCase)) {
            ctx.respond(response);
            return;
        }
        if (coordinators.anyLoading()) {
            // as Kafka: a list missing the groups of a partition being loaded would look complete
            ctx.respond(response.setErrorCode(code(GroupError.COORDINATOR_LOAD_IN_PROGRESS)));
            return;
        }
        List<GroupOverview> listed = new ArrayList<>();
        for (GroupCoordinator c : coordinators.served()) {
            listed.addAll(c.admin().listGroups(states));
        }
        listed.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        for (GroupOverview g : listed) {
            response.groups()
                    .add(new ListGroupsResponseData.ListedGroup()
                            .setGroupId(g.groupId())
                            .setProtocolType(g.protocolType())
                            .setGroupState(g.state().kafkaName())
                            .setGroupType(CLASSIC));
        }
        ctx.respond(response);
    }

    private void describeGroups(RequestContext ctx, DescribeGroupsRequest req) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String id : req.data().groups()) {
            DescribeGroupsResponseData.DescribedGroup g =
                    new DescribeGroupsResponseData.DescribedGroup().setGroupId(id);
            GroupCoordinators.Route route = coordinators.route(id);
            if (route instanceof GroupCoordinators.Refused refused) {
                response.groups()
                        .add(g.setErrorCode(code(refused.error()))
                                .setGroupState(GroupState.DEAD.kafkaName())
                                .setProtocolType("")
                                .setProtocolData(""));
                continue;
            }
            GroupDescription desc = ((GroupCoordinators.Served) route)
                    .coordinator()
                    .admin()
                    .describeGroup(id)
                    .orElse(null);
            if (desc == null) {
                // Before v6 an unknown group is reported as Dead with no error, as Kafka does.
                g.setErrorCode(ctx.apiVersion() >= 6 ? Errors.GROUP_ID_NOT_FOUND.code() : Errors.NONE.code())
                        .setErrorMessage(ctx.apiVersion() >= 6 ? "Group " + id + " not found." : null)
                        .setGroupState(GroupState.DEAD.kafkaName())
                        .setProtocolType("")
                        .setProtocolData("");
            } else {
                g.setErrorCode(Errors.NONE.code())
                        .setGroupState(desc.state().kafkaName())
                        .setProtocolType(desc.protocolType())
                        .setProtocolData(desc.protocolName());
                for (GroupDescription.MemberDescription m : desc.members()) {
                    g.members()
                            .add(new DescribeGroupsResponseData.DescribedGroupMember()
                                    .setMemberId(m.memberId())
                                    .setGroupInstanceId(m.groupInstanceId())
                                    .setClientId(m.clientId())
                                    .setClientHost(m.clientHost())
                                    .setMemberMetadata(m.metadata())
                                    .setMemberAssignment(m.assignment()));
                }
            }
            response.groups().add(g);
        }
        ctx.respond(response);
    }

    private void offsetDelete(RequestContext ctx, OffsetDeleteRequest req) {
        List<PartitionId> partitions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.data().topics()) {
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                partitions.add(new PartitionId(t.name(), p.partitionIndex()));
            }
        }
        GroupCoordinator coordinator = routeOrNull(
                req.data().groupId(), e -> ctx.respond(new OffsetDeleteResponseData().setErrorCode(code(e))));
        if (coordinator == null) {
            return;
        }
        OffsetManager.OffsetDeleteResult result =
                coordinator.offsets().delete(req.data().groupId(), partitions);
        OffsetDeleteResponseData response = new OffsetDeleteResponseData().setErrorCode(code(result.error()));
        result.partitions().forEach((tp, e) -> {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic t =
                    response.topics().find(tp.topic());
            if (t == null) {
                t = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(tp.topic());
                response.topics().add(t);
            }
            t.partitions()
                    .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(tp.partition())
                            .setErrorCode(code(e)));
        });
        ctx.respond(response);
    }

    private void deleteGroups(RequestContext ctx, DeleteGroupsRequest req) {
        Map<String, GroupError> result = new LinkedHashMap<>();
        for (String id : req.data().groupsNames()) {
            GroupCoordinators.Route route = coordinators.route(id);
            if (route instanceof GroupCoordinators.Served served) {
                result.putAll(served.coordinator().admin().deleteGroups(List.of(id)));
            } else {
                result.put(id, ((GroupCoordinators.Refused) route).error());
            }
        }
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        result.forEach((id, e) -> response.results()
                .add(new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(id)
                        .setErrorCode(code(e))));
        ctx.respond(response);
    }

    /**
     * The coordinator of {@code groupId}; or null, after handing the error that refuses the request to
     * {@code refuse}.
     */
    private GroupCoordinator routeOrNull(String groupId, java.util.function.Consumer<GroupError> refuse) {
        GroupCoordinators.Route route = coordinators.route(groupId);
        if (route instanceof GroupCoordinators.Served served) {
            return served.coordinator();
        }
        refuse.accept(((GroupCoordinators.Refused) route).error());
        return null;
    }
}
