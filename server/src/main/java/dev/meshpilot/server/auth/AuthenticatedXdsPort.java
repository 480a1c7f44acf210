package dev.meshpilot.server.auth;

import dev.meshpilot.kube.apiserver.KubernetesClients;
import dev.meshpilot.kube.apiserver.KubernetesSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * The authenticated xDS port (15012 by default): the same services as the plaintext port behind TLS and
 * {@link XdsAuthenticator}. Tokens are verified with TokenReview when {@code tokenReview} is on and a Kubernetes
 * source is given, else against the JWKS file when one is configured; without either only mTLS is accepted.
 */
public final class AuthenticatedXdsPort implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuthenticatedXdsPort.class.getName());

    private final Server server;
    private final XdsTls tls;
    private final ScheduledExecutorService reloader;
    private final Optional<KubernetesClient> kubeClient;

    private AuthenticatedXdsPort(Server server, XdsTls tls, ScheduledExecutorService reloader,
                                 Optional<KubernetesClient> kubeClient) {
        this.server = server;
        this.tls = tls;
        this.reloader = reloader;
        this.kubeClient = kubeClient;
    }

    /**
     * Reads or generates the certificates and listens.
     *
     * @param kube     the Kubernetes source's settings, for TokenReview; empty with a directory source
     * @param services what the port serves (each is wrapped with the authenticator)
     * @param builder  builds the gRPC server for an address and credentials with the server-wide settings
     * @throws IOException when a certificate cannot be read or the port cannot be bound
     */
    public static AuthenticatedXdsPort start(XdsAuthOptions options, Optional<KubernetesSettings> kube,
                                             AuthRefusals refusals, List<ServerServiceDefinition> services,
                                             BiFunction<InetSocketAddress, ServerCredentials, io.grpc.ServerBuilder<?>> builder)
            throws IOException {
        ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshpilot-tls-reload");
            t.setDaemon(true);
            return t;
        });
        XdsTls tls;
        try {
            tls = XdsTls.start(options, reloader);
        } catch (IOException | RuntimeException e) {
            reloader.shutdownNow();
            throw e;
        }
        Optional<KubernetesClient> client = Optional.empty();
        Optional<TokenVerifier> tokens = Optional.empty();
        try {
            if (options.tokenReview()) {
                if (kube.isEmpty()) {
                    throw new IllegalArgumentException("token review needs the Kubernetes source (--kube)");
                }
                client = Optional.of(KubernetesClients.connect(kube.get()));
                tokens = Optional.of(new CachedTokenVerifier(new TokenReviewVerifier(client.get(),
                        List.copyOf(options.acceptedAudiences())), CachedTokenVerifier.DEFAULT_PERIOD,
                        CachedTokenVerifier.DEFAULT_MAX_ENTRIES, Clock.systemUTC()));
            } else if (options.jwksFile().isPresent()) {
                tokens = Optional.of(new JwksTokenVerifier(options.jwksFile().get(), options.jwtIssuer(),
                        options.acceptedAudiences(), Clock.systemUTC()));
            }
            XdsAuthenticator authenticator = new XdsAuthenticator(options.trustDomain(), tokens, refusals);
            InetSocketAddress address = new InetSocketAddress(options.tlsAddress(), options.tlsPort());
            io.grpc.ServerBuilder<?> b = builder.apply(address, tls.credentials());
            services.forEach(s -> b.addService(ServerInterceptors.intercept(s, authenticator)));
            Server server = b.build();
            try {
                server.start();
            } catch (IOException e) {
                throw new IOException("cannot listen for TLS xDS on " + options.tlsAddress() + ":"
                        + options.tlsPort() + ": " + e.getMessage(), e);
            }
            String how = (tls.clientCa().isPresent() ? "mTLS (client CA " + tls.clientCa().get() + ")" : "")
                    + (tokens.isPresent() ? (tls.clientCa().isPresent() ? " or " : "")
                    + (options.tokenReview() ? "service-account tokens (TokenReview)" : "JWTs (JWKS "
                    + options.jwksFile().get() + ")") : "");
            LOG.info(() -> "xds tls: listening on " + options.tlsAddress() + ":" + server.getPort()
                    + ", clients authenticate with " + (how.isEmpty() ? "nothing usable: every call is refused" : how)
                    + ", trust domain " + options.trustDomain());
            return new AuthenticatedXdsPort(server, tls, reloader, client);
        } catch (IOException | RuntimeException e) {
            client.ifPresent(KubernetesClient::close);
            tls.close();
            reloader.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    public Server server() {
        return server;
    }

    /** Stops the reloads and the token-review client; the gRPC server is shut down by its owner. */
    @Override
    public void close() {
        tls.close();
        reloader.shutdownNow();
        kubeClient.ifPresent(KubernetesClient::close);
    }
}
