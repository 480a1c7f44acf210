package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.HostPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A proxyless gRPC client subscribing to a listener {@code FQDN:PORT} is about to call it: when the name is a port
 * of a service its learned scope left out (a fallback service, so inside its upper bound), that is evidence for
 * its workload ({@link EvidenceSource#GRPC_SUBSCRIPTION}). Names of anything else (outside the upper bound,
 * unknown, malformed) are not evidence and widen nothing. Pure.
 */
public final class OnDemandListeners {
    /** The reporter of subscription evidence in the ledger. */
    public static final String REPORTER = "grpc-subscription";

    private OnDemandListeners() {
    }

    public static List<Observation> observations(WorkloadKey workload, ProxyScope served,
                                                 Collection<String> listenerNames, Instant now) {
        List<Observation> out = new ArrayList<>();
        for (String name : listenerNames) {
            Optional<HostPort> hostPort = HostPort.parse(name);
            if (hostPort.isEmpty()) {
                continue;
            }
            String host = hostPort.get().hostname();
            int port = hostPort.get().port();
            boolean inFallback = served.fallbackServices().stream().filter(s -> s.hostname().equals(host))
                    .map(MeshService::ports).flatMap(List::stream).anyMatch(p -> p.port() == port);
            if (inFallback) {
                out.add(Observation.at(workload, new Destination(host, port), CallProtocol.GRPC,
                        EvidenceSource.GRPC_SUBSCRIPTION, REPORTER, now, 1));
            }
        }
        return out;
    }
}
