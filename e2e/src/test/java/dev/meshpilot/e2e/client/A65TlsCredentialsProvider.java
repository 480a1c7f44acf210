package dev.meshpilot.e2e.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The bootstrap's {@code channel_creds: [{"type": "tls", "config": {...}}]} as gRFC A65 defines it:
 * {@code ca_certificate_file} (roots the server is verified with), {@code certificate_file} and
 * {@code private_key_file} (the client's certificate for mTLS). grpc-java 1.85.1's own {@code tls} provider ignores
 * the config (it uses the JVM's default trust and no client certificate), so the e2e client processes register
 * this one through {@code META-INF/services} with a higher priority. Test-only; the client otherwise is grpc-java's.
 */
public final class A65TlsCredentialsProvider extends XdsCredentialsProvider {
    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        try {
            Object ca = config == null ? null : config.get("ca_certificate_file");
            if (ca instanceof String file) {
                builder.trustManager(new File(file));
            }
            Object cert = config == null ? null : config.get("certificate_file");
            Object key = config == null ? null : config.get("private_key_file");
            if (cert instanceof String certFile && key instanceof String keyFile) {
                builder.keyManager(new File(certFile), new File(keyFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tls channel_creds: " + e.getMessage(), e);
        }
        return builder.build();
    }

    @Override
    protected String getName() {
        return "tls";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return 10; // grpc-java's own "tls" provider has 5
    }
}
