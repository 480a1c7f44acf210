package dev.meshpilot.core.model;

/** Where an endpoint runs, from {@code topology.kubernetes.io/region|zone}; empty strings when unknown. */
public record Locality(String region, String zone) {
    public static final Locality UNKNOWN = new Locality("", "");

    public Locality {
        region = region == null ? "" : region;
        zone = zone == null ? "" : zone;
    }

    public boolean isKnown() {
        return !region.isEmpty() || !zone.isEmpty();
    }
}
