package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hosts an object pins with the {@value #ANNOTATION} annotation, in Sidecar host syntax ({@code ns/dnsName},
 * {@code .} for the workload's namespace, {@code *} wildcards), separated by commas or whitespace. Pins never
 * expire. A malformed entry is left out and reported with the object and annotation it came from.
 *
 * @param origin   the object, for messages ({@code Namespace shop}, {@code Deployment shop/cart})
 * @param entries  the well-formed pins
 * @param problems one located message per malformed entry
 */
public record HostPins(String origin, List<HostEntry> entries, List<String> problems) {

    /** The annotation that pins hosts into a workload's learned scope. */
    public static final String ANNOTATION = "meshpilot.dev/pin-hosts";

    public HostPins {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public static HostPins none(String origin) {
        return new HostPins(origin, List.of(), List.of());
    }

    /** The pins of an annotation value, with {@code .} resolved to {@code proxyNamespace}. */
    public static HostPins parse(String origin, String value, String proxyNamespace) {
        if (value == null || value.isBlank()) {
            return none(origin);
        }
        List<HostEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String raw : value.trim().split("[,\\s]+")) {
            if (raw.isEmpty()) {
                continue;
            }
            Optional<String> problem = problemOf(raw);
            if (problem.isPresent()) {
                problems.add(origin + ": annotation " + ANNOTATION + ": pin '" + raw + "' " + problem.get()
                        + "; it is ignored");
                continue;
            }
            entries.add(HostEntry.parse(raw, proxyNamespace).orElseThrow());
        }
        return new HostPins(origin, entries, problems);
    }

    private static Optional<String> problemOf(String raw) {
        int slash = raw.indexOf('/');
        if (slash < 0 || raw.indexOf('/', slash + 1) >= 0) {
            return Optional.of("is not of the form namespace/host");
        }
        String ns = raw.substring(0, slash);
        String host = raw.substring(slash + 1);
        if (ns.startsWith(HostEntry.EXCLUDE_PREFIX)) {
            return Optional.of("is an exclusion; pins can only add hosts");
        }
        if (ns.isEmpty() || host.isEmpty()) {
            return Optional.of("has an empty namespace or host");
        }
        if (host.indexOf('*', 1) >= 0 || (host.startsWith("*") && host.length() > 1 && host.charAt(1) != '.')) {
            return Optional.of("has a wildcard other than a leading '*' or '*.'");
        }
        return Optional.empty();
    }

    /** The pin that covers a service, if any. */
    public Optional<HostEntry> pinning(MeshService service) {
        for (HostEntry e : entries) {
            if ((e.anyNamespace() || e.namespace().equals(service.namespace()))
                    && HostName.coveredBy(service.hostname(), e.dnsName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
