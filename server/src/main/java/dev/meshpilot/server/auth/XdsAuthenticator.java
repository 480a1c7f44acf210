package dev.meshpilot.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Authenticates every call on the TLS xDS port and puts the caller in the gRPC {@link Context} under
 * {@link #CALLER}, where the ADS streams and the access-log service read it. A verified client certificate with a
 * SPIFFE URI SAN of the trust domain wins; otherwise an {@code authorization: Bearer TOKEN} header is verified;
 * neither ends the call with {@code UNAUTHENTICATED} (counted and listed in {@code /debug/authz}).
 */
public final class XdsAuthenticator implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(XdsAuthenticator.class.getName());
    /** The authenticated caller of the current call; absent on the plaintext port. */
    public static final Context.Key<CallerIdentity> CALLER = Context.key("meshpilot-caller");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int URI_SAN = 6;

    private final String trustDomain;
    private final Optional<TokenVerifier> tokens;
    private final AuthRefusals refusals;

    public XdsAuthenticator(String trustDomain, Optional<TokenVerifier> tokens, AuthRefusals refusals) {
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    /** The caller of the current gRPC call, when it came through the authenticated port. */
    public static Optional<CallerIdentity> currentCaller() {
        return Optional.ofNullable(CALLER.get());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        CallerIdentity caller;
        try {
            caller = authenticate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION),
                    headers.get(AUTHORIZATION));
        } catch (AuthException e) {
            SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String peer = address == null ? "" : address.toString().replaceFirst("^/", "");
            refusals.record(e.reason(), peer, "", "", e.getMessage());
            LOG.warning(() -> "xds auth: refused " + call.getMethodDescriptor().getFullMethodName() + " from " + peer
                    + " (" + e.reason().label() + "): " + AuthRefusals.clientText(e.getMessage()));
            call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    /**
     * Who the caller is, from its TLS session and {@code authorization} header.
     *
     * @throws AuthException why not
     */
    CallerIdentity authenticate(SSLSession session, String authorization) throws AuthException {
        Optional<X509Certificate> certificate = peerCertificate(session);
        AuthException certificateProblem = null;
        if (certificate.isPresent()) {
            try {
                return fromCertificate(certificate.get());
            } catch (AuthException e) {
                certificateProblem = e;
            }
        }
        if (authorization != null && !authorization.isEmpty()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new AuthException(RefusalReason.INVALID_TOKEN, "the authorization header is not 'Bearer TOKEN'");
            }
            if (tokens.isEmpty()) {
                throw new AuthException(RefusalReason.INVALID_TOKEN, "this server verifies no tokens (configure "
                        + "--jwt-jwks or run with --kube); present a client certificate instead");
            }
            return tokens.get().verify(authorization.substring(7).trim());
        }
        if (certificateProblem != null) {
            throw certificateProblem;
        }
        throw new AuthException(RefusalReason.NO_CREDENTIALS, "the TLS xDS port needs a client certificate with a "
                + "SPIFFE id or an 'authorization: Bearer' service-account token");
    }

    private CallerIdentity fromCertificate(X509Certificate certificate) throws AuthException {
        List<String> uris = uriSans(certificate);
        List<String> problems = new ArrayList<>();
        for (String uri : uris) {
            if (!uri.startsWith("spiffe://")) {
                continue;
            }
            try {
                SpiffeId id = SpiffeId.parse(uri);
                if (!id.trustDomain().equals(trustDomain)) {
                    problems.add("'" + uri + "' is of trust domain '" + id.trustDomain() + "', not '" + trustDomain + "'");
                    continue;
                }
                return new CallerIdentity(id.namespace(), id.serviceAccount(), CallerIdentity.Method.MTLS, uri);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        throw new AuthException(RefusalReason.INVALID_CERTIFICATE, "the client certificate ("
                + certificate.getSubjectX500Principal().getName() + ") has no SPIFFE URI SAN spiffe://" + trustDomain
                + "/ns/NS/sa/SA" + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }

    private static List<String> uriSans(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() == 2 && Integer.valueOf(URI_SAN).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable SANs: the caller gets INVALID_CERTIFICATE
        }
        return out;
    }

    private static Optional<X509Certificate> peerCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
