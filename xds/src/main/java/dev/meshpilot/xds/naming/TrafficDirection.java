package dev.meshpilot.xds.naming;

/** The first segment of a subset-key cluster name ({@code outbound|...}, {@code inbound|...}). */
public enum TrafficDirection {
    OUTBOUND("outbound"), INBOUND("inbound");

    private final String prefix;

    TrafficDirection(String prefix) {
        this.prefix = prefix;
    }

    /** How the direction is spelled in cluster names. */
    public String prefix() {
        return prefix;
    }
}
