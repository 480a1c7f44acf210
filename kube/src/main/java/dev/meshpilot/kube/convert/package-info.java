/**
 * Kubernetes objects (Jackson trees, from files or the API server) to mesh model records, one converter per kind.
 * Istio specs are read strictly (unknown fields are errors, as Istio's CRD validation makes them); every mistake
 * becomes one {@link dev.meshpilot.kube.convert.ConversionProblem} naming the field, and only that object is
 * skipped.
 */
package dev.meshpilot.kube.convert;
