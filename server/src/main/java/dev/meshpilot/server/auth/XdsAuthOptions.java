package dev.meshpilot.server.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated xDS port ({@code --xds-tls-port}, default 15012 from the CLI): its certificate, how clients
 * prove who they are, and the trust domain of their SPIFFE ids.
 *
 * @param tlsPort        the TLS port; -1 for none, 0 picks a free one
 * @param tlsAddress     the address it binds
 * @param certFile       the server certificate chain (PEM); empty: generated under {@code generatedDir}
 * @param keyFile        its private key (PEM, PKCS#8 or traditional); given together with {@code certFile}
 * @param clientCaFile   the CA that signs client certificates (mTLS); without it and without generated
 *                       certificates, clients authenticate with a token only
 * @param generatedDir   where a self-signed CA and server certificate are kept when no files are given
 * @param trustDomain    the SPIFFE trust domain client certificates must name
 * @param jwksFile       public keys (a JWKS) that service-account tokens are verified with, when not using TokenReview
 * @param jwtIssuer      the issuer tokens must name, when set
 * @param audiences      token audiences accepted besides {@code istio-ca}
 * @param tokenReview    verify tokens with the Kubernetes API (TokenReview); needs a Kubernetes source
 * @param reloadInterval how often the certificate files are checked for changes
 */
public record XdsAuthOptions(int tlsPort, String tlsAddress, Optional<Path> certFile, Optional<Path> keyFile,
                             Optional<Path> clientCaFile, Path generatedDir, String trustDomain,
                             Optional<Path> jwksFile, Optional<String> jwtIssuer, List<String> audiences,
                             boolean tokenReview, Duration reloadInterval) {
    /** Istio's audience for tokens sent to the control plane. */
    public static final String ISTIO_AUDIENCE = "istio-ca";
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    public static final int DEFAULT_TLS_PORT = 15012;
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public XdsAuthOptions {
        Objects.requireNonNull(tlsAddress, "tlsAddress");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        Objects.requireNonNull(generatedDir, "generatedDir");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(jwksFile, "jwksFile");
        Objects.requireNonNull(jwtIssuer, "jwtIssuer");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (tlsPort < -1 || tlsPort > 65535) {
            throw new IllegalArgumentException("the TLS xDS port must be between 0 and 65535, or -1 for none");
        }
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither");
        }
        if (trustDomain.isBlank() || trustDomain.contains("/")) {
            throw new IllegalArgumentException("trust domain '" + trustDomain + "' is not a DNS-like name");
        }
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("the certificate reload interval must be positive");
        }
    }

    /** No TLS port: plaintext xDS only (what tests and library users get unless they ask). */
    public static XdsAuthOptions off() {
        return new XdsAuthOptions(-1, "0.0.0.0", Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of(".meshpilot", "tls"), DEFAULT_TRUST_DOMAIN, Optional.empty(), Optional.empty(), List.of(),
                false, DEFAULT_RELOAD_INTERVAL);
    }

    /** A TLS port with generated certificates kept in {@code generatedDir}, mTLS against that CA. */
    public static XdsAuthOptions generated(int tlsPort, Path generatedDir) {
        return off().withPort(tlsPort, "0.0.0.0").withGeneratedDir(generatedDir);
    }

    public boolean enabled() {
        return tlsPort >= 0;
    }

    /** {@code istio-ca} and the configured audiences. */
    public Set<String> acceptedAudiences() {
        Set<String> out = new LinkedHashSet<>();
        out.add(ISTIO_AUDIENCE);
        out.addAll(audiences);
        return out;
    }

    public XdsAuthOptions withPort(int port, String address) {
        return new XdsAuthOptions(port, address, certFile, keyFile, clientCaFile, generatedDir, trustDomain, jwksFile,
                jwtIssuer, audiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withGeneratedDir(Path dir) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, dir, trustDomain, jwksFile,
                jwtIssuer, audiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withCertificate(Path cert, Path key, Optional<Path> clientCa) {
        return new XdsAuthOptions(tlsPort, tlsAddress, Optional.of(cert), Optional.of(key), clientCa, generatedDir,
                trustDomain, jwksFile, jwtIssuer, audiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withTrustDomain(String domain) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, generatedDir, domain, jwksFile,
                jwtIssuer, audiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withJwks(Path jwks, Optional<String> issuer) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, generatedDir, trustDomain,
                Optional.of(jwks), issuer, audiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withTokenReview(boolean on, List<String> extraAudiences) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, generatedDir, trustDomain,
                jwksFile, jwtIssuer, extraAudiences, on, reloadInterval);
    }

    public XdsAuthOptions withAudiences(List<String> extraAudiences) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, generatedDir, trustDomain,
                jwksFile, jwtIssuer, extraAudiences, tokenReview, reloadInterval);
    }

    public XdsAuthOptions withReloadInterval(Duration interval) {
        return new XdsAuthOptions(tlsPort, tlsAddress, certFile, keyFile, clientCaFile, generatedDir, trustDomain,
                jwksFile, jwtIssuer, audiences, tokenReview, interval);
    }
}
