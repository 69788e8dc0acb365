package dev.tributary.metadata.quorum;

import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.quorum.QuorumVoters.Voter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One node's part of the metadata quorum: a Ratis server (netty transport) running
 * {@link MetadataStateMachine}, and a client to submit commands through it.
 *
 * <p>With voters, node {@code nodeId} listens at its listed address and the quorum is the listed nodes; a
 * command commits once a majority has it. Without voters, the node is a quorum of one on loopback at an
 * ephemeral port: it commits alone, and the same code runs either way.
 *
 * <p>A node whose id is not among the voters is an <em>observer</em> (Kafka's word for a broker that is not a
 * controller): its server listens at {@link QuorumConfig#observerAddress()} as a Ratis LISTENER, which
 * {@link ObserverJoin} asks the voters to add to the group. The leader then sends it the committed log (or
 * its latest snapshot), so its image follows the quorum's like a voter's, but it never votes, never leads and
 * never counts towards a majority: observers can be added without making commits slower or the quorum more
 * fragile. Its commands go to the voters like anyone's.
 *
 * <p>Storage: {@code storageDir/<group id>/current} holds the Raft log and vote, {@code .../sm} the
 * snapshots. Restarting with the same directory resumes from the latest snapshot plus the log after it.
 */
public final class MetadataQuorum implements AutoCloseable {

    /** Every Tributary cluster uses the same Raft group id: one metadata quorum per cluster. */
    public static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("tributary-metadata".getBytes(StandardCharsets.UTF_8)));
    /** Snapshots kept on disk; older ones are deleted once a new one is written. */
    static final int SNAPSHOTS_RETAINED = 2;

    private final QuorumConfig config;
    private final MetadataStateMachine stateMachine;
    private final RaftServer server;
    private final RaftProperties properties;
    private final RaftGroup clientGroup;
    private final MetadataClient client;
    /** Null unless this node is an observer. */
    private final ObserverJoin observerJoin;

    private MetadataQuorum(
            QuorumConfig config,
            MetadataStateMachine stateMachine,
            RaftServer server,
            RaftProperties properties,
            RaftGroup clientGroup) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.server = server;
        this.properties = properties;
        this.clientGroup = clientGroup;
        this.client = newClient();
        this.observerJoin = config.isObserver() ? ObserverJoin.start(newRaftClient(), observerPeer(config)) : null;
    }

    private static RaftPeer observerPeer(QuorumConfig config) {
        return RaftPeer.newBuilder()
                .setId(peerId(config.nodeId()))
                .setAddress(config.observerAddress().toString())
                .setStartupRole(RaftPeerRole.LISTENER)
                .build();
    }

    public static MetadataQuorum start(QuorumConfig config) throws IOException {
        return start(config, System::currentTimeMillis);
    }

    /** @param clock the clock this node stamps commands with while it is the quorum leader */
    public static MetadataQuorum start(QuorumConfig config, LongSupplier clock) throws IOException {
        Files.createDirectories(config.storageDir());
        RaftPeerId selfId = peerId(config.nodeId());
        String host;
        int port;
        List<RaftPeer> peers = new ArrayList<>();
        if (config.isSingleNode()) {
            host = config.singleNodeHost();
            port = 0;
            peers.add(
                    RaftPeer.newBuilder().setId(selfId).setAddress(host + ":0").build());
        } else {
            for (Voter v : config.voters().voters()) {
                peers.add(RaftPeer.newBuilder()
                        .setId(peerId(v.id()))
                        .setAddress(v.address())
                        .build());
            }
            if (config.isObserver()) {
                host = config.observerAddress().host();
                port = config.observerAddress().port();
            } else {
                Voter self = config.voters().require(config.nodeId());
                host = self.host();
                port = self.port();
            }
        }
        // an observer starts as a listener of a group of the voters and itself (Ratis then never lets it stand
        // for election); the group it starts with is only its first guess, the configuration in its log wins
        List<RaftPeer> serverPeers = new ArrayList<>(peers);
        if (config.isObserver()) {
            serverPeers.add(observerPeer(config));
        }
        RaftProperties properties = properties(config, host, port);
        MetadataStateMachine stateMachine = new MetadataStateMachine(clock);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(selfId)
                .setGroup(RaftGroup.valueOf(GROUP_ID, serverPeers))
                .setStateMachine(stateMachine)
                .setProperties(properties)
                .setParameters(new Parameters())
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        RaftGroup clientGroup = RaftGroup.valueOf(GROUP_ID, peers);
        if (config.isSingleNode()) {
            // the ephemeral port is known only now; the client must dial the port the server got
            InetSocketAddress bound = server.getServerRpc().getInetSocketAddress();
            clientGroup = RaftGroup.valueOf(
                    GROUP_ID,
                    RaftPeer.newBuilder()
                            .setId(selfId)
                            .setAddress(host + ":" + bound.getPort())
                            .build());
        }
        return new MetadataQuorum(config, stateMachine, server, properties, clientGroup);
    }

    private static RaftProperties properties(QuorumConfig config, String host, int port) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(p, host);
        NettyConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(
                p, millis(config.electionTimeoutMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(
                p, millis(config.electionTimeoutMax().toMillis()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(
                p, millis(config.requestTimeout().toMillis()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, SNAPSHOTS_RETAINED);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(
                p,
                SizeInBytes.valueOf(Math.min(
                        config.logSegmentBytes(), RaftServerConfigKeys.Log.PREALLOCATED_SIZE_DEFAULT.getSize())));
        // delete log segments up to the snapshot even if a follower still needs them: it gets the snapshot
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(config.snapshotThreshold(), 1024));
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                p, millis(config.requestTimeout().toMillis()));
        return p;
    }

    private static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    /** A new client of this quorum (the shared one from {@link #client()} is usually enough). */
    public MetadataClient newClient() {
        return new MetadataClient(this::newRaftClient);
    }

    /** A Ratis client of the voters (of this node alone for a quorum of one). */
    private RaftClient newRaftClient() {
        ClientId clientId = ClientId.randomId();
        return RaftClient.newBuilder()
                .setClientId(clientId)
                .setRaftGroup(clientGroup)
                .setProperties(properties)
                .setClientRpc(new NettyFactory(new Parameters()).newRaftClientRpc(clientId, properties))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        config.clientAttempts(),
                        millis(Math.max(50, config.electionTimeoutMin().toMillis() / 4))))
                .build();
    }

    /** The client this node uses; closed with the quorum. */
    public MetadataClient client() {
        return client;
    }

    /** The metadata as this node has applied it (it may trail the leader by the entries in flight). */
    public MetadataImage image() {
        return stateMachine.image();
    }

    public void addListener(MetadataListener listener) {
        stateMachine.addListener(listener);
    }

    public void removeListener(MetadataListener listener) {
        stateMachine.removeListener(listener);
    }

    public int nodeId() {
        return config.nodeId();
    }

    /** True if this node is not a voter but an observer (see the class comment). */
    public boolean isObserver() {
        return config.isObserver();
    }

    /**
     * For an observer: true once the voters have committed a configuration listing it, so that the leader sends
     * it the log. Always true for a voter.
     */
    public boolean isListed() {
        return observerJoin == null || observerJoin.isJoined();
    }

    /** True while this node is the quorum leader (and so stamps times and should run session expiry). */
    public boolean isLeader() {
        return division().map(d -> d.getInfo().isLeader()).orElse(false);
    }

    /** True while Ratis runs this node as a LISTENER (an observer's role: it cannot vote or stand). */
    boolean isRatisListener() {
        return division().map(d -> d.getInfo().isListener()).orElse(false);
    }

    /** The quorum leader as this node last heard of it, if any. */
    public Optional<Integer> leaderId() {
        return division().map(d -> d.getInfo().getLeaderId()).map(id -> Integer.parseInt(id.toString()));
    }

    /** The quorum's Raft term as this node knows it. */
    public long term() {
        return division().map(d -> d.getInfo().getCurrentTerm()).orElse(0L);
    }

    /** The address the quorum server listens on (the bound port for a quorum of one). */
    public InetSocketAddress address() {
        return server.getServerRpc().getInetSocketAddress();
    }

    /** How many snapshots this node has loaded (at start, or installed from the leader). */
    public long snapshotsLoaded() {
        return stateMachine.snapshotsLoaded();
    }

    /** How many snapshots this node has installed from the leader because it lagged behind the leader's log. */
    public long snapshotsInstalled() {
        return stateMachine.snapshotsInstalled();
    }

    /** The first index still in this node's Raft log (greater than 1 once snapshots let the log be purged). */
    public long logStartIndex() {
        return division().map(d -> d.getRaftLog().getStartIndex()).orElse(-1L);
    }

    private Optional<RaftServer.Division> division() {
        try {
            return Optional.of(server.getDivision(GROUP_ID));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (observerJoin != null) {
                observerJoin.close();
            }
            client.close();
        } finally {
            server.close();
        }
    }
}
