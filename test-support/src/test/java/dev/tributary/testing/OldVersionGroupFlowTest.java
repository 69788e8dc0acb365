package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.Test;

/**
 * A whole group life cycle at the oldest versions this broker serves, as old clients speak it: no
 * MEMBER_ID_REQUIRED round trip before JoinGroup v4, a single-member LeaveGroup before v3, and Dead
 * without an error for an unknown group before DescribeGroups v6.
 */
class OldVersionGroupFlowTest {

    @Test
    void shouldServeGroupLifeCycleAtOldestVersions() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder()
                        .config("group.initial.rebalance.delay.ms", "0")
                        .start();
                RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.port())) {
            broker.createTopic("t", 1, java.util.Map.of());
            JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                    new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                    .setName("range")
                    .setMetadata(new byte[] {0, 1}));
            JoinGroupResponse join = conn.send(new JoinGroupRequest.Builder(new JoinGroupRequestData()
                            .setGroupId("old")
                            .setSessionTimeoutMs(10_000)
                            .setMemberId("")
                            .setProtocolType("consumer")
                            .setProtocols(protocols))
                    .build((short) 0));
            assertThat(join.error()).isEqualTo(Errors.NONE);
            String member = join.data().memberId();
            assertThat(join.data().generationId()).isEqualTo(1);
            assertThat(join.data().leader()).isEqualTo(member);
            assertThat(join.data().members())
                    .singleElement()
                    .satisfies(m -> assertThat(m.metadata()).containsExactly(0, 1));

            SyncGroupResponse sync = conn.send(new SyncGroupRequest.Builder(new SyncGroupRequestData()
                            .setGroupId("old")
                            .setGenerationId(1)
                            .setMemberId(member)
                            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                    .setMemberId(member)
                                    .setAssignment(new byte[] {7}))))
                    .build((short) 0));
            assertThat(sync.error()).isEqualTo(Errors.NONE);
            assertThat(sync.data().assignment()).containsExactly(7);

            HeartbeatResponse heartbeat = conn.send(new HeartbeatRequest.Builder(new HeartbeatRequestData()
                            .setGroupId("old")
                            .setGenerationId(1)
                            .setMemberId(member))
                    .build((short) 0));
            assertThat(heartbeat.error()).isEqualTo(Errors.NONE);

            OffsetCommitResponse commit =
                    conn.send(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                                    .setGroupId("old")
                                    .setGenerationIdOrMemberEpoch(1)
                                    .setMemberId(member)
                                    .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                            .setName("t")
                                            .setPartitions(
                                                    List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                            .setPartitionIndex(0)
                                                            .setCommittedOffset(42)
                                                            .setCommittedMetadata("m"))))))
                            .build((short) 2));
            assertThat(commit.data().topics().get(0).partitions().get(0).errorCode())
                    .isEqualTo(Errors.NONE.code());

            OffsetFetchResponse fetch = conn.send(OffsetFetchRequest.Builder.forTopicNames(
                            new OffsetFetchRequestData()
                                    .setGroupId("old")
                                    .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                            .setName("t")
                                            .setPartitionIndexes(List.of(0, 1)))),
                            false)
                    .build((short) 1));
            assertThat(fetch.data().topics().get(0).partitions())
                    .extracting(p -> p.committedOffset())
                    .containsExactly(42L, -1L);

            DescribeGroupsResponse describe = conn.send(new DescribeGroupsRequest.Builder(
                            new DescribeGroupsRequestData().setGroups(List.of("old", "unknown")))
                    .build((short) 0));
            List<DescribeGroupsResponseData.DescribedGroup> groups =
                    describe.data().groups();
            assertThat(groups.get(0).groupState()).isEqualTo("Stable");
            assertThat(groups.get(0).members())
                    .singleElement()
                    .satisfies(m -> assertThat(m.memberAssignment()).containsExactly(7));
            assertThat(groups.get(1).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(groups.get(1).groupState()).isEqualTo("Dead");

            LeaveGroupResponse leave = conn.send(new LeaveGroupRequest.Builder(
                            "old", List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member)))
                    .build((short) 0));
            assertThat(leave.error()).isEqualTo(Errors.NONE);
            LeaveGroupResponse again = conn.send(new LeaveGroupRequest.Builder(
                            "old", List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member)))
                    .build((short) 0));
            assertThat(again.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

            JoinGroupResponse v4 = conn.send(new JoinGroupRequest.Builder(new JoinGroupRequestData()
                            .setGroupId("old")
                            .setSessionTimeoutMs(10_000)
                            .setRebalanceTimeoutMs(10_000)
                            .setMemberId("")
                            .setProtocolType("consumer")
                            .setProtocols(protocols))
                    .build((short) 4));
            assertThat(v4.error())
                    .as("v4 asks a new member to come back with its id")
                    .isEqualTo(Errors.MEMBER_ID_REQUIRED);
            assertThat(v4.data().memberId()).isNotEmpty();
        }
    }
}
