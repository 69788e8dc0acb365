package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import java.net.InetSocketAddress;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/** DescribeCluster: one broker, which is also the controller. */
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
        InetSocketAddress adv = services.advertisedAddress();
        DescribeClusterResponseData.DescribeClusterBrokerCollection brokers =
                new DescribeClusterResponseData.DescribeClusterBrokerCollection();
        brokers.add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(services.nodeId())
                .setHost(adv.getHostString())
                .setPort(adv.getPort())
                .setRack(null));
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setClusterId(services.clusterId())
                .setControllerId(services.nodeId())
                .setBrokers(brokers)
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        if (ctx.apiVersion() >= 1) {
            response.setEndpointType(request.data().endpointType());
        }
        ctx.respond(response);
    }
}
