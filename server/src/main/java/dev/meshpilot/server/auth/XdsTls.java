package dev.meshpilot.server.auth;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The TLS credentials of the authenticated xDS port, through grpc-java's {@link AdvancedTlsX509KeyManager} and
 * {@link AdvancedTlsX509TrustManager}: the files are checked every reload interval and read again when their
 * modification time or size changed, so a renewed certificate (or CA bundle) applies to new connections without a
 * restart. (The managers' own file watching polls at most once a minute, so the polling is ours; a file that
 * cannot be read keeps the credentials last read, with one warning per change.) Client certificates are asked
 * for but optional (a client may authenticate with a token instead) and verified against the client CA.
 */
public final class XdsTls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(XdsTls.class.getName());

    private final ServerCredentials credentials;
    private final List<AutoCloseable> reloads;
    private final Path certificate;
    private final Optional<Path> clientCa;

    private XdsTls(ServerCredentials credentials, List<AutoCloseable> reloads, Path certificate,
                   Optional<Path> clientCa) {
        this.credentials = credentials;
        this.reloads = reloads;
        this.certificate = certificate;
        this.clientCa = clientCa;
    }

    /**
     * Reads the certificate files (or generates them, see {@link GeneratedCertificates}) and starts their reloading.
     *
     * @throws IOException with the file at fault when a certificate or key cannot be read
     */
    public static XdsTls start(XdsAuthOptions options, ScheduledExecutorService scheduler) throws IOException {
        Path cert;
        Path key;
        Optional<Path> clientCa = options.clientCaFile();
        if (options.certFile().isPresent()) {
            cert = options.certFile().get();
            key = options.keyFile().orElseThrow();
        } else {
            GeneratedCertificates generated = GeneratedCertificates.ensure(options.generatedDir());
            cert = generated.certificate();
            key = generated.key();
            if (clientCa.isEmpty()) {
                clientCa = Optional.of(generated.ca());
            }
            LOG.info(() -> "xds tls: serving the certificate " + generated.certificate().toAbsolutePath()
                    + " signed by the self-signed CA " + generated.ca().toAbsolutePath() + "; clients trust that CA ("
                    + "grpc bootstrap: channel_creds [{\"type\":\"tls\",\"config\":{\"ca_certificate_file\":\""
                    + generated.ca().toAbsolutePath() + "\"}}]); workload certificates signed by it with a SPIFFE "
                    + "URI SAN are accepted for mTLS");
        }
        long period = Math.max(1, options.reloadInterval().toMillis());
        List<AutoCloseable> reloads = new ArrayList<>();
        TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder();
        AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
        FileReload keyReload = new FileReload("server certificate", List.of(cert, key),
                () -> keys.updateIdentityCredentials(cert.toFile(), key.toFile()));
        try {
            keyReload.load();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IOException("cannot read the xDS TLS certificate " + cert + " or key " + key + ": "
                    + e.getMessage(), e);
        }
        builder.keyManager(keys);
        reloads.add(keyReload.every(period, scheduler));
        if (clientCa.isPresent()) {
            Path ca = clientCa.get();
            try {
                AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
                        .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                        .build();
                FileReload trustReload = new FileReload("client CA", List.of(ca),
                        () -> trust.updateTrustCredentials(ca.toFile()));
                trustReload.load();
                reloads.add(trustReload.every(period, scheduler));
                builder.trustManager(trust).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                reloads.forEach(XdsTls::closeQuietly);
                throw new IOException("cannot read the client CA " + ca + ": " + e.getMessage(), e);
            }
        }
        return new XdsTls(builder.build(), List.copyOf(reloads), cert, clientCa);
    }

    public ServerCredentials credentials() {
        return credentials;
    }

    /** The server certificate file served (given or generated). */
    public Path certificate() {
        return certificate;
    }

    /** The CA client certificates are verified against, when mTLS is on. */
    public Optional<Path> clientCa() {
        return clientCa;
    }

    @Override
    public void close() {
        reloads.forEach(XdsTls::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // stopping a reload task cannot fail in a way worth reporting
        }
    }
}
