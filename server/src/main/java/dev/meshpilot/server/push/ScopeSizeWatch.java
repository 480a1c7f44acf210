package dev.meshpilot.server.push;

import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.logging.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The bound on services per proxy scope: a proxy whose scope holds more services than the bound is reported — one
 * located warning per scope per minute (which proxy, how many services, and the Sidecar that gave the scope, or that
 * none did), and a count in {@code meshpilot_scope_services_over_bound_total}. The scope is still served whole:
 * trimming it would break calls that Istio's semantics allow, so the bound tells operators where to write a Sidecar
 * (or turn on learned scoping) rather than deciding for them. Thread-safe.
 */
final class ScopeSizeWatch {
    private static final Logger LOG = Logger.getLogger(ScopeSizeWatch.class.getName());

    private final int bound;
    private final RateLimitedLog log;
    private final Counter over;

    ScopeSizeWatch(int bound, MeterRegistry registry, Clock clock) {
        this.bound = bound;
        this.log = new RateLimitedLog(LOG, clock, Duration.ofMinutes(1));
        this.over = Counter.builder("meshpilot_scope_services_over_bound")
                .description("Proxies attached or pushed whose scope held more services than --max-scope-services.")
                .register(registry);
    }

    /** Reports the scope if it holds more services than the bound; true when it did. */
    boolean check(ProxyIdentity proxy, ProxyScope scope) {
        int services = scope.services().size();
        if (services <= bound) {
            return false;
        }
        over.increment();
        log.warn(scope.key(), () -> "scope: proxy " + proxy.proxyId() + " holds " + services + " services, more than "
                + "--max-scope-services " + bound + "; its scope comes from " + origin(scope) + ". It is served whole "
                + "(trimming would break calls Istio allows); a Sidecar limiting its egress, or --scoping learned, "
                + "would shrink it");
        return true;
    }

    private static String origin(ProxyScope scope) {
        return scope.sidecar().map(s -> "Sidecar " + s.meta().namespace() + "/" + s.meta().name())
                .orElse("no Sidecar (Istio's default: every service exported to namespace " + scope.proxyNamespace()
                        + ")");
    }
}
