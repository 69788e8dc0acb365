package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterView;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/**
 * DescribeCluster: the brokers and the controller of {@link BrokerServices#clusterView()} (this broker alone on
 * a single node; the live brokers and the quorum leader on a cluster node).
 */
final class ClusterApis implements ApiGroup {
    private final BrokerServices services;

    ClusterApis(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.DESCRIBE_CLUSTER, 0, 2, this::describeCluster);
    }

    private void describeCluster(RequestContext ctx, DescribeClusterRequest request) {
        ClusterView cluster = services.clusterView();
        DescribeClusterResponseData.DescribeClusterBrokerCollection brokers =
                new DescribeClusterResponseData.DescribeClusterBrokerCollection();
        for (ClusterView.Node n : cluster.brokers()) {
            brokers.add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(n.id())
                    .setHost(n.host())
                    .setPort(n.port())
                    .setRack(null));
        }
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setClusterId(services.clusterId())
                .setControllerId(cluster.controllerId())
                .setBrokers(brokers)
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        if (ctx.apiVersion() >= 1) {
            response.setEndpointType(request.data().endpointType());
        }
        ctx.respond(response);
    }
}
