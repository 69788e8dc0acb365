package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCoordinatorTest {

    private static final int SESSION = 10_000;
    private static final int REBALANCE = 30_000;

    private MutableClock clock;
    private MemoryStore store;
    private GroupCoordinator coordinator;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(1_000_000);
        store = new MemoryStore();
        GroupConfig config = new GroupConfig(6_000, 300_000, 0, 100, 4096, 7L * 24 * 3600 * 1000);
        coordinator = new GroupCoordinator(config, clock, store);
    }

    private static JoinGroup.Request join(String group, String memberId, String... protocols) {
        List<JoinGroup.Protocol> ps = new ArrayList<>();
        for (String p : protocols) {
            ps.add(new JoinGroup.Protocol(p, ("sub-" + p).getBytes(StandardCharsets.UTF_8)));
        }
        return new JoinGroup.Request(
                group, memberId, null, "client", "/127.0.0.1", SESSION, REBALANCE, "consumer", ps, true);
    }

    private AtomicReference<JoinGroup.Result> send(JoinGroup.Request r) {
        AtomicReference<JoinGroup.Result> ref = new AtomicReference<>();
        coordinator.joinGroup(r, ref::set);
        return ref;
    }

    /** Joins through the MEMBER_ID_REQUIRED round trip; returns the pending second join. */
    private AtomicReference<JoinGroup.Result> joinNew(String group, String... protocols) {
        JoinGroup.Result first = send(join(group, "", protocols)).get();
        assertThat(first.error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");
        return send(join(group, first.memberId(), protocols));
    }

    private AtomicReference<SyncGroup.Result> sync(
            String group, int generation, String memberId, Map<String, byte[]> assignments) {
        AtomicReference<SyncGroup.Result> ref = new AtomicReference<>();
        coordinator.syncGroup(
                new SyncGroup.Request(group, generation, memberId, null, "consumer", null, assignments), ref::set);
        return ref;
    }

    @Test
    void shouldRequireKnownMemberIdThenCompleteJoinOfSingleMember() {
        JoinGroup.Result result = joinNew("g", "range").get();

        assertThat(result.error()).isEqualTo(GroupError.NONE);
        assertThat(result.generationId()).isEqualTo(1);
        assertThat(result.leaderId()).isEqualTo(result.memberId());
        assertThat(result.protocolName()).isEqualTo("range");
        assertThat(result.members()).hasSize(1);
        assertThat(coordinator.admin().describeGroup("g").orElseThrow().state())
                .isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldBecomeStableAndHandOutLeaderAssignmentOnSync() {
        String m = joinNew("g", "range").get().memberId();

        SyncGroup.Result synced = sync("g", 1, m, Map.of(m, new byte[] {1, 2})).get();

        assertThat(synced.error()).isEqualTo(GroupError.NONE);
        assertThat(synced.assignment()).containsExactly(1, 2);
        assertThat(coordinator.admin().describeGroup("g").orElseThrow().state()).isEqualTo(GroupState.STABLE);
        assertThat(store.groups.get("g").generationId()).isEqualTo(1);
        assertThat(store.groups.get("g").members()).hasSize(1);
    }

    @Test
    void shouldRebalanceWhenSecondMemberJoinsAndWaitForFirstToRejoin() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of(a, new byte[] {1}));

        AtomicReference<JoinGroup.Result> bJoin = joinNew("g", "range");
        assertThat(bJoin.get()).as("b waits for a to rejoin").isNull();
        assertThat(coordinator.heartbeat("g", a, null, 1)).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);

        JoinGroup.Result aJoin = send(join("g", a, "range")).get();
        assertThat(aJoin.generationId()).isEqualTo(2);
        assertThat(aJoin.leaderId()).isEqualTo(a);
        assertThat(aJoin.members())
                .extracting(JoinGroup.Member::memberId)
                .containsExactly(a, bJoin.get().memberId());
        assertThat(bJoin.get().members()).as("followers get no member list").isEmpty();

        String b = bJoin.get().memberId();
        AtomicReference<SyncGroup.Result> bSync = sync("g", 2, b, Map.of());
        assertThat(bSync.get()).as("follower waits for the leader's assignment").isNull();
        sync("g", 2, a, Map.of(a, new byte[] {1}, b, new byte[] {2}));
        assertThat(bSync.get().assignment()).containsExactly(2);
    }

    @Test
    void shouldRemoveMemberThatDoesNotRejoinWithinRebalanceTimeout() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of());
        AtomicReference<JoinGroup.Result> bJoin = joinNew("g", "range");

        // a keeps heartbeating but never rejoins
        clock.advance(REBALANCE - 1);
        coordinator.heartbeat("g", a, null, 1);
        coordinator.poll();
        assertThat(bJoin.get()).isNull();
        clock.advance(1);
        coordinator.poll();

        assertThat(bJoin.get().error()).isEqualTo(GroupError.NONE);
        assertThat(bJoin.get().generationId()).isEqualTo(2);
        assertThat(bJoin.get().leaderId()).isEqualTo(bJoin.get().memberId());
        assertThat(coordinator.heartbeat("g", a, null, 2)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldExpireMemberWithoutHeartbeatAndRebalanceTheRest() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of());
        AtomicReference<JoinGroup.Result> bJoin = joinNew("g", "range");
        send(join("g", a, "range"));
        String b = bJoin.get().memberId();
        sync("g", 2, a, Map.of());
        sync("g", 2, b, Map.of());

        clock.advance(SESSION / 2);
        assertThat(coordinator.heartbeat("g", b, null, 2)).isEqualTo(GroupError.NONE);
        clock.advance(SESSION / 2);
        coordinator.poll();

        assertThat(coordinator.admin().describeGroup("g").orElseThrow().members())
                .extracting(GroupDescription.MemberDescription::memberId)
                .containsExactly(b);
        assertThat(coordinator.heartbeat("g", b, null, 2)).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        JoinGroup.Result rejoin = send(join("g", b, "range")).get();
        assertThat(rejoin.generationId()).isEqualTo(3);
        assertThat(rejoin.leaderId()).isEqualTo(b);
    }

    @Test
    void shouldRebalanceOnLeaveAndBecomeEmptyWhenLastMemberLeaves() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of());

        LeaveGroup.Result left = coordinator.leaveGroup("g", List.of(new LeaveGroup.Identity(a, null)));

        assertThat(left.members()).extracting(LeaveGroup.MemberResult::error).containsExactly(GroupError.NONE);
        GroupDescription d = coordinator.admin().describeGroup("g").orElseThrow();
        assertThat(d.state()).isEqualTo(GroupState.EMPTY);
        assertThat(d.members()).isEmpty();
        assertThat(store.groups.get("g").generationId()).isEqualTo(2);
        assertThat(coordinator
                        .leaveGroup("g", List.of(new LeaveGroup.Identity(a, null)))
                        .members()
                        .get(0)
                        .error())
                .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectStaleGenerationAndUnknownMember() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of());

        assertThat(coordinator.heartbeat("g", a, null, 0)).isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(coordinator.heartbeat("g", "nobody", null, 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(sync("g", 7, a, Map.of()).get().error()).isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(send(join("g", "nobody", "range")).get().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectMemberWithoutCommonProtocol() {
        joinNew("g", "range");

        JoinGroup.Result r = send(join("g", "", "cooperative-sticky")).get();

        assertThat(r.error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldPickProtocolMostMembersPreferAmongThoseAllSupport() {
        String a = joinNew("g", "roundrobin", "range").get().memberId();
        sync("g", 1, a, Map.of());
        AtomicReference<JoinGroup.Result> b = joinNew("g", "range", "roundrobin");
        AtomicReference<JoinGroup.Result> c = joinNew("g", "range", "sticky");
        send(join("g", a, "roundrobin", "range"));

        assertThat(b.get().protocolName()).isEqualTo("range");
        assertThat(c.get().protocolName()).isEqualTo("range");
    }

    @Test
    void shouldRejectSessionTimeoutOutsideConfiguredRange() {
        JoinGroup.Request r = new JoinGroup.Request(
                "g",
                "",
                null,
                "c",
                "h",
                1000,
                REBALANCE,
                "consumer",
                List.of(new JoinGroup.Protocol("range", new byte[0])),
                true);

        assertThat(send(r).get().error()).isEqualTo(GroupError.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void shouldForgetPendingMemberIdThatIsNeverUsed() {
        String pending = send(join("g", "", "range")).get().memberId();
        clock.advance(SESSION);
        coordinator.poll();

        assertThat(send(join("g", pending, "range")).get().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldWaitInitialRebalanceDelayForMoreMembersOfEmptyGroup() {
        GroupConfig delayed = new GroupConfig(6_000, 300_000, 3_000, 100, 4096, Long.MAX_VALUE);
        coordinator = new GroupCoordinator(delayed, clock, store);
        AtomicReference<JoinGroup.Result> a = joinNew("g", "range");
        clock.advance(2_000);
        coordinator.poll();
        AtomicReference<JoinGroup.Result> b = joinNew("g", "range");
        clock.advance(2_000);
        coordinator.poll();
        assertThat(a.get()).as("delay extended by b's join").isNull();

        clock.advance(1_000);
        coordinator.poll();

        assertThat(a.get().generationId()).isEqualTo(1);
        assertThat(b.get().generationId()).isEqualTo(1);
    }

    @Test
    void shouldRemoveFollowerThatNeverSyncs() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of());
        AtomicReference<JoinGroup.Result> b = joinNew("g", "range");
        send(join("g", a, "range"));
        sync("g", 2, a, Map.of());

        clock.advance(REBALANCE);
        coordinator.heartbeat("g", a, null, 2);
        coordinator.poll();

        assertThat(coordinator.heartbeat("g", b.get().memberId(), null, 2)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.admin().describeGroup("g").orElseThrow().state())
                .isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldFenceOldIncarnationOfStaticMember() {
        JoinGroup.Request first = new JoinGroup.Request(
                "g",
                "",
                "instance-1",
                "c",
                "h",
                SESSION,
                REBALANCE,
                "consumer",
                List.of(new JoinGroup.Protocol("range", new byte[0])),
                true);
        String old = send(first).get().memberId();
        sync("g", 1, old, Map.of());

        String renewed = send(first).get().memberId();

        assertThat(renewed).isNotEqualTo(old);
        assertThat(coordinator.heartbeat("g", old, "instance-1", 2)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator
                        .leaveGroup("g", List.of(new LeaveGroup.Identity("", "instance-1")))
                        .members()
                        .get(0)
                        .error())
                .isEqualTo(GroupError.NONE);
    }

    @Test
    void shouldAcceptSimpleCommitsForGroupWithoutMembers() {
        PartitionId tp = new PartitionId("t", 0);

        Map<PartitionId, GroupError> r = coordinator
                .offsets()
                .commit("assign-only", "", null, -1, Map.of(tp, new CommittedOffset(42, -1, "m", 0)));

        assertThat(r).containsEntry(tp, GroupError.NONE);
        CommittedOffset stored =
                coordinator.offsets().fetch("assign-only", List.of(tp)).get(tp);
        assertThat(stored.offset()).isEqualTo(42);
        assertThat(stored.commitTimestamp()).isEqualTo(clock.millis());
        assertThat(store.offsets.get("assign-only")).containsKey(tp);
        assertThat(coordinator
                        .admin()
                        .describeGroup("assign-only")
                        .orElseThrow()
                        .state())
                .isEqualTo(GroupState.EMPTY);
    }

    @Test
    void shouldRejectCommitsFromNonMembersAndOldGenerations() {
        String a = joinNew("g", "range").get().memberId();
        PartitionId tp = new PartitionId("t", 0);
        Map<PartitionId, CommittedOffset> offsets = Map.of(tp, new CommittedOffset(1, -1, "", 0));

        assertThat(coordinator.offsets().commit("g", a, null, 1, offsets))
                .containsEntry(tp, GroupError.REBALANCE_IN_PROGRESS);
        sync("g", 1, a, Map.of());
        assertThat(coordinator.offsets().commit("g", a, null, 1, offsets)).containsEntry(tp, GroupError.NONE);
        assertThat(coordinator.offsets().commit("g", a, null, 0, offsets))
                .containsEntry(tp, GroupError.ILLEGAL_GENERATION);
        assertThat(coordinator.offsets().commit("g", "", null, -1, offsets))
                .containsEntry(tp, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.offsets().commit("nope", "x", null, 3, offsets))
                .containsEntry(tp, GroupError.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectOffsetMetadataOverLimit() {
        PartitionId tp = new PartitionId("t", 0);
        Map<PartitionId, GroupError> r = coordinator
                .offsets()
                .commit("g", "", null, -1, Map.of(tp, new CommittedOffset(1, -1, "x".repeat(4097), 0)));

        assertThat(r).containsEntry(tp, GroupError.OFFSET_METADATA_TOO_LARGE);
        assertThat(coordinator.offsets().fetch("g", null)).isEmpty();
    }

    @Test
    void shouldListDescribeAndDeleteGroups() {
        String a = joinNew("busy", "range").get().memberId();
        sync("busy", 1, a, Map.of());
        PartitionId tp = new PartitionId("t", 0);
        coordinator.offsets().commit("idle", "", null, -1, Map.of(tp, new CommittedOffset(5, -1, "", 0)));

        assertThat(coordinator.admin().listGroups(Set.of()))
                .extracting(GroupOverview::groupId)
                .containsExactly("busy", "idle");
        assertThat(coordinator.admin().listGroups(Set.of(GroupState.STABLE)))
                .extracting(GroupOverview::groupId)
                .containsExactly("busy");

        Map<String, GroupError> deleted = coordinator.admin().deleteGroups(List.of("busy", "idle", "missing"));

        assertThat(deleted)
                .containsEntry("busy", GroupError.NON_EMPTY_GROUP)
                .containsEntry("idle", GroupError.NONE)
                .containsEntry("missing", GroupError.GROUP_ID_NOT_FOUND);
        assertThat(coordinator.admin().describeGroup("idle")).isEmpty();
        assertThat(store.deleted).containsExactly("idle");
        assertThat(coordinator.offsets().fetch("idle", null)).isEmpty();
    }

    @Test
    void shouldExpireOffsetsOfEmptyGroupAfterRetention() {
        GroupConfig shortRetention = new GroupConfig(6_000, 300_000, 0, 100, 4096, 60_000);
        coordinator = new GroupCoordinator(shortRetention, clock, store);
        PartitionId tp = new PartitionId("t", 0);
        coordinator.offsets().commit("g", "", null, -1, Map.of(tp, new CommittedOffset(5, -1, "", 0)));

        clock.advance(59_999);
        coordinator.poll();
        assertThat(coordinator.offsets().fetch("g", null)).containsKey(tp);
        clock.advance(1);
        coordinator.poll();

        assertThat(coordinator.offsets().fetch("g", null)).isEmpty();
        assertThat(store.deleted).containsExactly("g");
    }

    @Test
    void shouldResumeStableGroupFromStoreWithoutRebalance() {
        String a = joinNew("g", "range").get().memberId();
        sync("g", 1, a, Map.of(a, new byte[] {9}));
        PartitionId tp = new PartitionId("t", 3);
        coordinator.offsets().commit("g", a, null, 1, Map.of(tp, new CommittedOffset(77, 0, "meta", 0)));

        GroupCoordinator restarted = new GroupCoordinator(GroupConfig.defaults(), clock, GroupStore.NONE);
        restarted.load(new GroupLoader.Loaded(store.groups.values(), store.offsets, 0, 0));

        assertThat(restarted.heartbeat("g", a, null, 1)).isEqualTo(GroupError.NONE);
        assertThat(restarted.offsets().fetch("g", null).get(tp).offset()).isEqualTo(77);
        assertThat(restarted
                        .admin()
                        .describeGroup("g")
                        .orElseThrow()
                        .members()
                        .get(0)
                        .assignment())
                .containsExactly(9);
    }

    private static byte[] subscription(String topic) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(2 + 4 + 2 + name.length + 4)
                .putShort((short) 0)
                .putInt(1)
                .putShort((short) name.length)
                .put(name)
                .putInt(-1)
                .array();
    }

    @Test
    void shouldDeleteOffsetsExceptOfTopicsMembersSubscribeTo() {
        JoinGroup.Request r = new JoinGroup.Request(
                "g",
                "",
                null,
                "c",
                "h",
                SESSION,
                REBALANCE,
                "consumer",
                List.of(new JoinGroup.Protocol("range", subscription("read"))),
                false);
        String m = send(r).get().memberId();
        sync("g", 1, m, Map.of());
        PartitionId read = new PartitionId("read", 0);
        PartitionId old = new PartitionId("old", 0);
        coordinator
                .offsets()
                .commit(
                        "g",
                        m,
                        null,
                        1,
                        Map.of(read, new CommittedOffset(1, -1, "", 0), old, new CommittedOffset(2, -1, "", 0)));

        OffsetManager.OffsetDeleteResult result = coordinator.offsets().delete("g", List.of(read, old));

        assertThat(result.error()).isEqualTo(GroupError.NONE);
        assertThat(result.partitions())
                .containsEntry(read, GroupError.GROUP_SUBSCRIBED_TO_TOPIC)
                .containsEntry(old, GroupError.NONE);
        assertThat(coordinator.offsets().fetch("g", null)).containsOnlyKeys(read);
        assertThat(store.offsets.get("g")).containsOnlyKeys(read);
        assertThat(coordinator.offsets().delete("missing", List.of(old)).error())
                .isEqualTo(GroupError.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldRemoveOffsetsOfDeletedTopics() {
        PartitionId kept = new PartitionId("kept", 0);
        PartitionId deleted = new PartitionId("deleted", 0);
        coordinator
                .offsets()
                .commit(
                        "g",
                        "",
                        null,
                        -1,
                        Map.of(kept, new CommittedOffset(1, -1, "", 0), deleted, new CommittedOffset(2, -1, "", 0)));

        int removed = coordinator.offsets().removeOffsetsOfDeletedTopics(topic -> !topic.equals("deleted"));

        assertThat(removed).isEqualTo(1);
        assertThat(coordinator.offsets().fetch("g", null)).containsOnlyKeys(kept);
        assertThat(store.offsets.get("g")).containsOnlyKeys(kept);
    }

    /** Keeps the latest record per key, as compaction would. */
    static final class MemoryStore implements GroupStore {
        final Map<String, GroupMetadataRecord> groups = new HashMap<>();
        final Map<String, Map<PartitionId, CommittedOffset>> offsets = new HashMap<>();
        final List<String> deleted = new ArrayList<>();

        @Override
        public void storeGroup(GroupMetadataRecord group) {
            groups.put(group.groupId(), group);
        }

        @Override
        public void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> o) {
            offsets.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(o);
        }

        @Override
        public void deleteOffsets(String groupId, Collection<PartitionId> partitions) {
            partitions.forEach(offsets.getOrDefault(groupId, new HashMap<>())::remove);
        }

        @Override
        public void deleteGroup(String groupId, Collection<PartitionId> partitions) {
            groups.remove(groupId);
            offsets.remove(groupId);
            deleted.add(groupId);
        }
    }
}
