package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.HttpMatch;
import dev.meshpilot.core.model.VirtualServiceResource.HttpRoute;
import dev.meshpilot.core.model.VirtualServiceResource.L4Route;
import dev.meshpilot.core.model.VirtualServiceResource.Retries;
import dev.meshpilot.core.model.VirtualServiceResource.RouteDestination;
import dev.meshpilot.core.model.VirtualServiceResource.StringMatch;
import dev.meshpilot.core.registry.MeshObjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code networking.istio.io} VirtualService: hosts, gateways, exportTo, and the http/tcp/tls rules as far as
 * scoping and basic routing need them (matches on uri, headers, port, source namespace; weighted destinations;
 * mirrors; timeout; retries). Unknown fields are errors; features we do not model (fault, cors, rewrite...) are
 * accepted and ignored.
 */
final class VirtualServiceConverter implements KindConverter {

    private static final Set<String> SPEC = Set.of("hosts", "gateways", "http", "tls", "tcp", "exportTo");
    private static final Set<String> HTTP = Set.of("name", "match", "route", "redirect", "directResponse", "delegate",
            "rewrite", "timeout", "retries", "fault", "mirror", "mirrors", "mirrorPercent", "mirrorPercentage",
            "mirror_percent", "corsPolicy", "headers");
    private static final Set<String> HTTP_MATCH = Set.of("name", "uri", "scheme", "method", "authority", "headers",
            "port", "sourceLabels", "gateways", "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace",
            "statPrefix");
    private static final Set<String> STRING_MATCH = Set.of("exact", "prefix", "regex");
    private static final Set<String> HTTP_DESTINATION = Set.of("destination", "weight", "headers");
    private static final Set<String> DESTINATION = Set.of("host", "subset", "port");
    private static final Set<String> PORT_SELECTOR = Set.of("number");
    private static final Set<String> RETRIES = Set.of("attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities",
            "retryIgnorePreviousHosts", "backoff");
    private static final Set<String> MIRROR = Set.of("destination", "percentage");
    private static final Set<String> L4_ROUTE = Set.of("match", "route");
    private static final Set<String> TCP_MATCH = Set.of("destinationSubnets", "port", "sourceLabels", "gateways",
            "sourceNamespace", "sourceSubnet");
    private static final Set<String> TLS_MATCH = Set.of("sniHosts", "destinationSubnets", "port", "sourceLabels",
            "gateways", "sourceNamespace");
    private static final Set<String> ROUTE_DESTINATION = Set.of("destination", "weight");

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requiredObject().object(SPEC);
        List<String> hosts = spec.get("hosts").stringList();
        List<Field> hostFields = spec.get("hosts").list();
        for (int i = 0; i < hosts.size(); i++) {
            if (!Names.isWildcardDnsName(hosts.get(i))) {
                throw hostFields.get(i).error("\"" + hosts.get(i) + "\" is not a valid host name");
            }
        }
        List<String> gateways = spec.get("gateways").stringList();
        List<String> exportTo = ExportTo.read(spec.get("exportTo"), header.meta().namespace(), false);
        List<HttpRoute> http = new ArrayList<>();
        for (Field route : spec.get("http").list()) {
            http.add(httpRoute(route));
        }
        List<L4Route> tcp = new ArrayList<>();
        for (Field route : spec.get("tcp").list()) {
            tcp.add(l4Route(route, TCP_MATCH));
        }
        List<L4Route> tls = new ArrayList<>();
        for (Field route : spec.get("tls").list()) {
            tls.add(l4Route(route, TLS_MATCH));
        }
        if (hosts.isEmpty() && !gateways.isEmpty()) {
            throw spec.get("hosts").error("is required (at least one host)");
        }
        out.virtualService(new VirtualServiceResource(header.meta(), hosts, gateways, exportTo, http, tcp, tls));
    }

    private static HttpRoute httpRoute(Field field) {
        field.requiredObject().object(HTTP);
        List<HttpMatch> matches = new ArrayList<>();
        for (Field match : field.get("match").list()) {
            match.requiredObject().object(HTTP_MATCH);
            Optional<StringMatch> uri = match.get("uri").isPresent()
                    ? Optional.of(stringMatch(match.get("uri"))) : Optional.empty();
            Map<String, StringMatch> headers = new LinkedHashMap<>();
            Field headersField = match.get("headers").requireObjectIfPresent();
            if (headersField.isPresent()) {
                Iterator<String> names = headersField.node().fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    headers.put(name, stringMatch(headersField.get(name)));
                }
            }
            int port = match.get("port").integer(0);
            if (port != 0) {
                match.get("port").checkPort(port);
            }
            matches.add(new HttpMatch(uri, headers, match.get("sourceNamespace").string(""), port));
        }
        List<RouteDestination> route = new ArrayList<>();
        for (Field destination : field.get("route").list()) {
            destination.requiredObject().object(HTTP_DESTINATION);
            route.add(new RouteDestination(destination(destination.get("destination")), weight(destination)));
        }
        Optional<Destination> mirror = field.get("mirror").isPresent()
                ? Optional.of(destination(field.get("mirror"))) : Optional.empty();
        List<Destination> mirrors = new ArrayList<>();
        for (Field m : field.get("mirrors").list()) {
            m.requiredObject().object(MIRROR);
            mirrors.add(destination(m.get("destination")));
        }
        Optional<Duration> timeout = field.get("timeout").isPresent()
                ? Optional.of(Durations.parse(field.get("timeout"))) : Optional.empty();
        Optional<Retries> retries = Optional.empty();
        Field retriesField = field.get("retries").object(RETRIES);
        if (retriesField.isPresent()) {
            int attempts = retriesField.get("attempts").integer(0);
            if (attempts < 0) {
                throw retriesField.get("attempts").error("must not be negative");
            }
            Duration perTry = retriesField.get("perTryTimeout").isPresent()
                    ? Durations.parse(retriesField.get("perTryTimeout")) : null;
            retries = Optional.of(new Retries(attempts, perTry, retriesField.get("retryOn").string("")));
        }
        boolean delegates = field.get("delegate").isPresent();
        boolean answers = field.get("redirect").isPresent() || field.get("directResponse").isPresent();
        if (route.isEmpty() && !delegates && !answers) {
            throw field.error("needs a route, a redirect, a directResponse or a delegate");
        }
        return new HttpRoute(field.get("name").string(""), matches, route, mirror, mirrors, timeout, retries);
    }

    private static L4Route l4Route(Field field, Set<String> matchFields) {
        field.requiredObject().object(L4_ROUTE);
        List<Integer> ports = new ArrayList<>();
        List<String> sniHosts = new ArrayList<>();
        for (Field match : field.get("match").list()) {
            match.requiredObject().object(matchFields);
            int port = match.get("port").integer(0);
            if (port != 0) {
                match.get("port").checkPort(port);
                ports.add(port);
            }
            sniHosts.addAll(match.get("sniHosts").stringList());
        }
        List<RouteDestination> route = new ArrayList<>();
        for (Field destination : field.get("route").list()) {
            destination.requiredObject().object(ROUTE_DESTINATION);
            route.add(new RouteDestination(destination(destination.get("destination")), weight(destination)));
        }
        if (route.isEmpty()) {
            throw field.get("route").error("is required (at least one destination)");
        }
        return new L4Route(ports, sniHosts, route);
    }

    private static int weight(Field destination) {
        int weight = destination.get("weight").integer(0);
        if (weight < 0) {
            throw destination.get("weight").error("must not be negative");
        }
        return weight;
    }

    private static Destination destination(Field field) {
        field.requiredObject().object(DESTINATION);
        String host = field.get("host").string();
        if (!Names.isWildcardDnsName(host)) {
            throw field.get("host").error("\"" + host + "\" is not a valid host name");
        }
        Field port = field.get("port").object(PORT_SELECTOR);
        int number = port.get("number").integer(0);
        if (port.isPresent()) {
            port.get("number").checkPort(number);
        }
        return new Destination(host, field.get("subset").string(""), number);
    }

    private static StringMatch stringMatch(Field field) {
        field.requiredObject().object(STRING_MATCH);
        List<StringMatch> found = new ArrayList<>();
        for (String key : List.of("exact", "prefix", "regex")) {
            Field value = field.get(key);
            if (value.isPresent()) {
                StringMatch.MatchType type = StringMatch.MatchType.valueOf(key.toUpperCase(java.util.Locale.ROOT));
                found.add(new StringMatch(type, value.optString().orElseThrow()));
            }
        }
        if (found.size() != 1) {
            throw field.error("needs exactly one of exact, prefix or regex");
        }
        return found.get(0);
    }
}
