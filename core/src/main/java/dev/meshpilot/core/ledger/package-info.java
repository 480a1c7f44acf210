/**
 * The dependency ledger: what each workload was seen calling, merged from evidence of several sources
 * (Prometheus, Envoy access logs, proxyless gRPC subscriptions, an edges file).
 *
 * <p>Everything here is an immutable value. Merging is a join: idempotent, commutative and associative, so
 * replicas and sources can merge evidence in any order, any number of times, and agree. Counts are kept per
 * reporter as the largest cumulative count that reporter has stated (a grow-only counter), which is what makes
 * merging the same evidence twice harmless. Destinations are kept whether or not the registry knows them; what
 * is served is decided later, against the registry, by {@code core.scope.LearnedScopes}.
 */
package dev.meshpilot.core.ledger;
