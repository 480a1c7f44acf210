package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Istio's standard metrics in a Prometheus server, read as dependency evidence: who called what, with which
 * protocol, on which days of the window (see {@link IstioMetricQueries} for the queries and
 * {@link DailySightings} for how days become observations). Every source workload with a series in the window
 * is marked {@link DependencyLedger#reportedBy reported by} Prometheus at {@code now}, even without calls, since
 * that is the evidence of non-use expiry needs.
 *
 * <p>Reads are bounded: at most {@link #MAX_SERIES} series and {@link #MAX_RESPONSE_BYTES} bytes per query. A read
 * fails as a whole with one {@link dev.meshpilot.core.ledger.EvidenceException} (never a partial ledger); series
 * without a usable source or destination are skipped, counted and reported as a warning.
 */
public final class PrometheusEvidence implements EvidenceReader {

    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_SERIES = 200_000;
    public static final long MAX_RESPONSE_BYTES = 256L * 1024 * 1024;
    /** The longest window read (a range query with one point per day). */
    public static final Duration MAX_WINDOW = Duration.ofDays(366);

    private static final System.Logger LOG = System.getLogger(PrometheusEvidence.class.getName());

    private final URI baseUri;
    private final long days;
    private final PrometheusApi api;

    /**
     * @param baseUri        the server, e.g. {@code http://prometheus.istio-system:9090} (a path prefix is kept)
     * @param window         how far back to look; whole days (rounded up), at least one
     * @param requestTimeout how long to wait for each query's answer
     * @param client         the HTTP client (its connect timeout and proxy settings apply)
     */
    public PrometheusEvidence(URI baseUri, Duration window, Duration requestTimeout, HttpClient client) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String scheme = baseUri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("a Prometheus URL is http(s)://HOST[:PORT][/PATH], got '" + baseUri + "'");
        }
        if (window.compareTo(IstioMetricQueries.DAY) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("the Prometheus window is between 1d and 366d, got " + window);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the Prometheus request timeout must be positive, got " + requestTimeout);
        }
        long seconds = window.toSeconds();
        long day = IstioMetricQueries.DAY.toSeconds();
        this.days = (seconds + day - 1) / day;
        this.api = new PrometheusApi(baseUri, client, requestTimeout, MAX_RESPONSE_BYTES, MAX_SERIES);
    }

    /** A reader with {@link #DEFAULT_TIMEOUT} and its own HTTP client. */
    public static PrometheusEvidence of(URI baseUri, Duration window) {
        return new PrometheusEvidence(baseUri, window, DEFAULT_TIMEOUT,
                HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build());
    }

    @Override
    public DependencyLedger read(Instant now) {
        PrometheusReading reading = readWithReport(now);
        reading.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, describe() + ": " + w));
        return reading.ledger();
    }

    /** Reads the window ending at {@code now}, returning the ledger with counts and warnings. */
    public PrometheusReading readWithReport(Instant now) {
        Instant start = now.minus(IstioMetricQueries.DAY.multipliedBy(days - 1));
        List<String> warnings = new ArrayList<>();
        List<IstioSeries> calls = new ArrayList<>();
        Set<WorkloadKey> reported = new TreeSet<>();
        Map<String, Integer> skipped = new TreeMap<>();
        int read = 0;
        for (boolean tcp : new boolean[] {false, true}) {
            String query = tcp ? IstioMetricQueries.tcpConnectionsPerDay() : IstioMetricQueries.requestsPerDay();
            RangeResponseParser.RangeResult result = api.queryRange(query, start, now, IstioMetricQueries.DAY);
            result.warnings().forEach(w -> warnings.add("Prometheus warns: " + w));
            for (MetricSeries series : result.series()) {
                read++;
                IstioLabels.Reading reading = IstioLabels.read(series, tcp);
                reading.call().ifPresent(call -> {
                    calls.add(call);
                    reported.add(call.caller());
                });
                reading.skipped().ifPresent(skip -> {
                    skipped.merge(skip.reason(), 1, Integer::sum);
                    skip.caller().ifPresent(reported::add);
                });
            }
        }
        if (read == 0) {
            warnings.add("no istio_requests_total or istio_tcp_connections_closed_total series in the "
                    + days + " days before " + now + "; is this the mesh's Prometheus, and does it keep Istio's metrics?");
        }
        int skippedCount = skipped.values().stream().mapToInt(Integer::intValue).sum();
        if (skippedCount > 0) {
            warnings.add("skipped " + skippedCount + " of " + read + " series: " + skipped.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        }
        DependencyLedger ledger = DependencyLedger.ofObservations(new DailySightings(describe()).observations(calls))
                .reportedBy(reported, EvidenceSource.PROMETHEUS, now);
        return new PrometheusReading(ledger, read, skippedCount, warnings);
    }

    /** The window read, in whole days. */
    public Duration window() {
        return IstioMetricQueries.DAY.multipliedBy(days);
    }

    @Override
    public String describe() {
        return "prometheus " + baseUri;
    }
}
