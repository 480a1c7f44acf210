/**
 * Evidence from Istio's standard metrics read over Prometheus's HTTP API ({@link
 * dev.meshpilot.insight.evidence.prometheus.PrometheusEvidence}), and the opposite direction for tests and demos:
 * synthetic Istio metrics written as OpenMetrics from an edges file ({@link
 * dev.meshpilot.insight.evidence.prometheus.EdgesToOpenMetrics}), which {@code promtool} turns into a TSDB.
 *
 * <p>How Istio labels calls that match no service (istio/proxy, {@code populateDestinationService}): the
 * sidecar sets {@code destination_service_name} to {@code PassthroughCluster} or {@code BlackHoleCluster}. For
 * HTTP (an HTTP listener's {@code allow_any}/{@code block_all} route) {@code destination_service} is the request's
 * host header, i.e. the original destination as the caller named it (possibly with {@code :port}); for TCP (the
 * virtual outbound listener) {@code destination_service} is {@code unknown} and only a non-default
 * {@code destination_ip} label, when an operator added it, carries the original address. Such calls are kept as
 * evidence: with the original destination when a label has one, else as a destination named after the cluster,
 * which matches no service and so is reported as unknown rather than silently dropped.
 */
package dev.meshpilot.insight.evidence.prometheus;
