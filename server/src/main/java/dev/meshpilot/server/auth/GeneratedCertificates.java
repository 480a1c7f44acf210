package dev.meshpilot.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Embedded mode without certificate files: a self-signed CA and a server certificate it signed, kept in a directory
 * ({@code ca.pem}, {@code ca-key.pem}, {@code server.pem}, {@code server-key.pem}) and reused on restart. The server
 * certificate is issued again when missing or within 30 days of expiry. Clients trust {@code ca.pem}; workload
 * certificates for mTLS are signed with the same CA.
 *
 * @param ca          the CA certificate clients trust
 * @param caKey       the CA key (signs workload certificates)
 * @param certificate the server certificate
 * @param key         the server key
 */
public record GeneratedCertificates(Path ca, Path caKey, Path certificate, Path key) {
    private static final Logger LOG = Logger.getLogger(GeneratedCertificates.class.getName());
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Names the server certificate holds: local use and istiod's in-cluster names. */
    static final List<String> SERVER_DNS = List.of("localhost", "meshpilot", "meshpilot.istio-system.svc",
            "istiod.istio-system.svc");

    /** The files in {@code dir}, created or renewed as needed. */
    public static GeneratedCertificates ensure(Path dir) throws IOException {
        GeneratedCertificates files = new GeneratedCertificates(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"),
                dir.resolve("server.pem"), dir.resolve("server-key.pem"));
        Files.createDirectories(dir);
        CertificateAuthority ca;
        boolean newCa = false;
        if (Files.isRegularFile(files.ca()) && Files.isRegularFile(files.caKey())) {
            ca = CertificateAuthority.load(files.ca(), files.caKey());
        } else {
            ca = CertificateAuthority.create("meshpilot self-signed xDS CA", CA_VALIDITY);
            ca.write(files.ca(), files.caKey());
            newCa = true;
        }
        if (newCa || !usable(files.certificate()) || !Files.isRegularFile(files.key())) {
            ca.issueServer("meshpilot", SERVER_DNS, List.of("127.0.0.1", "::1"), SERVER_VALIDITY)
                    .write(files.certificate(), files.key());
            LOG.info(() -> "xds tls: generated a self-signed CA and server certificate in " + dir.toAbsolutePath());
        }
        return files;
    }

    /** Loads the CA to sign workload certificates with. */
    public CertificateAuthority authority() throws IOException {
        return CertificateAuthority.load(ca, caKey);
    }

    private static boolean usable(Path certificate) {
        if (!Files.isRegularFile(certificate)) {
            return false;
        }
        try {
            X509Certificate c = CertificateAuthority.readCertificate(certificate);
            return c.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }
}
