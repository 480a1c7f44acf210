package dev.meshpilot.server.accesslog;

import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EntryClassifierTest {

    private static HTTPAccessLogEntry request(HTTPAccessLogEntry.HTTPVersion version, RequestMethod method, String path,
                                              String contentType) {
        HTTPRequestProperties.Builder r = HTTPRequestProperties.newBuilder().setRequestMethod(method).setPath(path);
        if (contentType != null) {
            r.putRequestHeaders("content-type", contentType);
        }
        return HTTPAccessLogEntry.newBuilder().setProtocolVersion(version).setRequest(r).build();
    }

    @Test
    void grpcContentType_isGrpcWhateverThePath() {
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP2, RequestMethod.POST, "/x",
                "application/grpc+proto"))).isTrue();
    }

    @Test
    void postOverHttp2ToPackageServiceMethod_isGrpc() {
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP2, RequestMethod.POST,
                "/grpc.health.v1.Health/Check", null))).isTrue();
    }

    @Test
    void thatPathWithGetOrOverHttp11OrWithoutAPackage_isNotGrpc() {
        String path = "/grpc.health.v1.Health/Check";
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP2, RequestMethod.GET, path, null)))
                .isFalse();
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP11, RequestMethod.POST, path, null)))
                .isFalse();
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP2, RequestMethod.POST,
                "/Health/Check", null))).isFalse();
        assertThat(EntryClassifier.isGrpc(request(HTTPAccessLogEntry.HTTPVersion.HTTP2, RequestMethod.POST,
                "/api/v1.2/users", null))).isFalse();
    }
}
