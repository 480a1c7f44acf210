package dev.meshpilot.xds.dump;

/** Where a resource sits in a config dump: from the bootstrap or inline (static), or from xDS (active, warming). */
public enum Section {
    STATIC, DYNAMIC_ACTIVE, DYNAMIC_WARMING;

    public boolean isDynamic() {
        return this != STATIC;
    }
}
