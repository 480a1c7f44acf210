package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.server.auth.XdsAuthOptions;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code serve}'s flags for the authenticated (TLS) xDS port; see docs/security.md. */
public final class XdsAuthFlags {
    @Option(names = "--xds-tls-port", paramLabel = "PORT", defaultValue = "15012",
            description = "Authenticated xDS port (TLS; clients prove a service account with an mTLS SPIFFE "
                    + "certificate or a bearer token). -1 turns it off (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--xds-tls-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address for the TLS xDS port (default: ${DEFAULT-VALUE}).")
    String tlsAddress;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Server certificate chain (PEM) of the TLS xDS port, reloaded when it changes. Without it a "
                    + "self-signed CA and certificate are generated in --tls-dir.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key (PEM) of --tls-cert.")
    Path key;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "CA bundle (PEM) client certificates are verified against (mTLS), reloaded when it changes. "
                    + "With generated certificates the generated CA is used.")
    Path clientCa;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "Where generated certificates are kept and reused (default: STATE_DIR/tls with --state-dir, "
                    + "else .meshpilot/tls under the working directory).")
    Path tlsDir;

    @Option(names = "--tls-reload-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often certificate files are checked for changes (default: ${DEFAULT-VALUE}).")
    String reloadInterval;

    @Option(names = "--trust-domain", paramLabel = "DOMAIN", defaultValue = XdsAuthOptions.DEFAULT_TRUST_DOMAIN,
            description = "SPIFFE trust domain of client certificates (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(names = "--jwt-jwks", paramLabel = "FILE",
            description = "Verify bearer tokens against the public keys of this JWKS file (reloaded when it changes).")
    Path jwks;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "The issuer tokens must name (with --jwt-jwks).")
    String issuer;

    @Option(names = "--token-review",
            description = "With --kube: verify bearer tokens with the Kubernetes API (TokenReview; needs RBAC create "
                    + "on tokenreviews, see deploy/overlays/token-review).")
    boolean tokenReview;

    @Option(names = "--token-audience", paramLabel = "AUD",
            description = "A token audience accepted besides istio-ca (repeatable).")
    List<String> audiences = new ArrayList<>();

    /** The options these flags say, with generated certificates under the state directory when it is given. */
    XdsAuthOptions options(Optional<Path> stateDir, boolean kube) {
        if (tlsPort < -1 || tlsPort > 65535) {
            throw new UserException("--xds-tls-port " + tlsPort + ": must be between 0 and 65535, or -1 for none");
        }
        if (tokenReview && !kube) {
            throw new UserException("--token-review needs --kube (it asks the Kubernetes API)");
        }
        if (tokenReview && jwks != null) {
            throw new UserException("--token-review and --jwt-jwks cannot be combined: choose one way to verify tokens");
        }
        if (issuer != null && jwks == null) {
            throw new UserException("--jwt-issuer needs --jwt-jwks");
        }
        for (Path f : new Path[] {cert, key, clientCa, jwks}) {
            if (f != null && !Files.isReadable(f)) {
                throw new UserException(f + ": no such readable file");
            }
        }
        Path dir = tlsDir != null ? tlsDir : stateDir.map(d -> d.resolve("tls")).orElse(Path.of(".meshpilot", "tls"));
        try {
            XdsAuthOptions options = XdsAuthOptions.off().withPort(tlsPort, tlsAddress).withGeneratedDir(dir)
                    .withTrustDomain(trustDomain)
                    .withReloadInterval(ServeCommand.Durations.parse("--tls-reload-interval", reloadInterval))
                    .withTokenReview(tokenReview, audiences);
            if (cert != null || key != null) {
                if (cert == null || key == null) {
                    throw new UserException("--tls-cert and --tls-key go together: give both or neither");
                }
                options = options.withCertificate(cert, key, Optional.ofNullable(clientCa));
            } else if (clientCa != null) {
                throw new UserException("--tls-client-ca needs --tls-cert and --tls-key (generated certificates "
                        + "verify clients against the generated CA)");
            }
            if (jwks != null) {
                options = options.withJwks(jwks, Optional.ofNullable(issuer));
            }
            return options;
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
