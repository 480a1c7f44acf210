package dev.meshpilot.xds.inspect;

/**
 * istioctl's cluster filters ({@code --fqdn}, {@code --port}, {@code --subset}, {@code --direction}), matched as
 * istioctl matches them: substrings of the cluster name, and {@code |PORT|} for the port.
 */
public record ClusterFilter(String fqdn, int port, String subset, String direction) {

    public static final ClusterFilter ALL = new ClusterFilter("", 0, "", "");

    public ClusterFilter {
        fqdn = fqdn == null ? "" : fqdn;
        subset = subset == null ? "" : subset;
        direction = direction == null ? "" : direction;
    }

    public boolean matches(String name) {
        if (!fqdn.isEmpty() && !name.contains(fqdn)) {
            return false;
        }
        if (!direction.isEmpty() && !name.contains(direction)) {
            return false;
        }
        if (!subset.isEmpty() && !name.contains(subset)) {
            return false;
        }
        return port == 0 || name.contains("|" + port + "|");
    }
}
