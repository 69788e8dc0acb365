package dev.tributary.broker.protocol;

import dev.tributary.broker.network.NetworkRequest;
import dev.tributary.broker.network.RequestDispatcher;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns request frames into calls on registered {@link ApiHandler}s: parses the header (v1 or v2 by
 * API version), checks the version against the {@link ApiRegistry}, parses the body with kafka-clients'
 * generated classes (records stay slices of the frame buffer, no copy), and maps handler exceptions to
 * error responses through {@link ErrorCodes}.
 *
 * <p>A frame that cannot be parsed closes its connection with a logged reason; the broker keeps serving
 * everyone else.
 */
public final class KafkaProtocol implements RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(KafkaProtocol.class);

    private final ApiRegistry registry;

    public KafkaProtocol(List<ApiGroup> groups) {
        this.registry = new ApiRegistry();
        registry.register(ApiKeys.API_VERSIONS, 0, ApiKeys.API_VERSIONS.latestVersion(), new ApiVersionsApi(registry));
        for (ApiGroup g : groups) {
            g.registerWith(registry);
        }
    }

    public ApiRegistry registry() {
        return registry;
    }

    @Override
    public void dispatch(NetworkRequest network) {
        ByteBuffer buffer = network.payload();
        short keyId = buffer.getShort(0);
        short version = buffer.getShort(2);
        if (!ApiKeys.hasId(keyId)) {
            network.connection().close("unknown API key " + keyId + " (version " + version + ")");
            return;
        }
        ApiKeys key = ApiKeys.forId(keyId);
        RequestHeader header;
        try {
            header = RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            network.connection().close("malformed " + key + " v" + version + " request header: " + e.getMessage());
            return;
        }
        RequestContext context = new RequestContext(header, network.connection(), network.receivedNanos());
        ApiRegistry.Registration registration = registry.get(key);
        if (registration == null) {
            context.closeConnection("API " + key + " is not implemented (it is not advertised in ApiVersions)");
            return;
        }
        if (!registration.accepts(version)) {
            rejectVersion(context, registration, buffer);
            return;
        }
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buffer)).request;
        } catch (RuntimeException e) {
            context.closeConnection("malformed " + key + " v" + version + " request body: " + e);
            return;
        }
        invoke(context, registration, request);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invoke(RequestContext context, ApiRegistry.Registration registration, AbstractRequest request) {
        try {
            ((ApiHandler) registration.handler()).handle(context, request);
        } catch (Exception | AssertionError e) {
            Errors error = ErrorCodes.of(e);
            if (error == Errors.UNKNOWN_SERVER_ERROR) {
                log.error("{} v{} from {} failed", context.apiKey(), context.apiVersion(), context.clientId(), e);
            } else {
                log.debug(
                        "{} v{} from {} failed with {}",
                        context.apiKey(),
                        context.apiVersion(),
                        context.clientId(),
                        error,
                        e);
            }
            if (context.isFinished()) {
                return;
            }
            AbstractResponse response = request.getErrorResponse(0, ErrorCodes.toApiException(e));
            context.respond(response.data());
        }
    }

    private void rejectVersion(RequestContext context, ApiRegistry.Registration registration, ByteBuffer buffer) {
        ApiKeys key = context.apiKey();
        short version = context.apiVersion();
        String why = key + " v" + version + " is not supported (this broker serves v" + registration.acceptedMin()
                + " to v" + registration.max() + ")";
        if (key == ApiKeys.API_VERSIONS) {
            // KIP-511: answer a newer ApiVersions in v0 so the client can retry with a version we know.
            context.respond(ApiVersionsApi.response(registry, Errors.UNSUPPORTED_VERSION), (short) 0);
            return;
        }
        if (key == ApiKeys.PRODUCE && version < ApiKeys.PRODUCE.oldestVersion()) {
            LegacyProduceRejection.respond(context, buffer, why);
            return;
        }
        if (!key.isVersionSupported(version)) {
            context.closeConnection(why + ", and it cannot be parsed");
            return;
        }
        try {
            AbstractRequest request =
                    AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buffer)).request;
            context.respond(request.getErrorResponse(0, new UnsupportedVersionException(why))
                    .data());
        } catch (RuntimeException e) {
            context.closeConnection(why + "; malformed body: " + e);
        }
    }
}
