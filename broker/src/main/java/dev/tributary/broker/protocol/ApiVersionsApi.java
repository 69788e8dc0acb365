package dev.tributary.broker.protocol;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions: lists exactly the registered APIs and version ranges. Its response header is always v0
 * (the client does not yet know which header versions we speak); {@code ApiKeys} encodes that rule.
 */
final class ApiVersionsApi implements ApiHandler<ApiVersionsRequest> {
    private final ApiRegistry registry;

    ApiVersionsApi(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RequestContext context, ApiVersionsRequest request) {
        if (context.apiVersion() >= 3 && !request.isValid()) {
            context.respond(response(registry, Errors.INVALID_REQUEST));
            return;
        }
        context.respond(response(registry, Errors.NONE));
    }

    static ApiVersionsResponseData response(ApiRegistry registry, Errors error) {
        ApiVersionsResponseData.ApiVersionCollection keys = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiRegistry.Registration r : registry.all()) {
            keys.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(r.key().id)
                    .setMinVersion(r.advertisedMin())
                    .setMaxVersion(r.max()));
        }
        return new ApiVersionsResponseData()
                .setErrorCode(error.code())
                .setApiKeys(keys)
                .setThrottleTimeMs(0);
    }
}
