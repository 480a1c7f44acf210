package dev.meshpilot.xds.inspect;

/**
 * A cluster name read the way istioctl reads it for its tables: {@code DIRECTION|PORT|SUBSET|HOST} when the name
 * has more than three {@code |}-separated parts, else the whole name as host with port 0 (istioctl's
 * {@code safelyParseSubsetKey}). Lenient on purpose: a table must show any name a dump holds, including names
 * meshpilot's own {@code ClusterName} would reject.
 */
record SubsetKey(String direction, String subset, String host, int port, boolean isSubsetKey) {

    static SubsetKey parse(String name) {
        if (name.split("\\|", -1).length <= 3) {
            return new SubsetKey("", "", name, 0, false);
        }
        String sep = name.startsWith("outbound_") || name.startsWith("inbound_") ? "_." : "|";
        String[] cut = cut(name, sep);
        if (cut == null) {
            return new SubsetKey("", "", "", 0, true);
        }
        String direction = cut[0];
        cut = cut(cut[1], sep);
        if (cut == null) {
            return new SubsetKey(direction, "", "", 0, true);
        }
        int port = atoi(cut[0]);
        cut = cut(cut[1], sep);
        if (cut == null) {
            return new SubsetKey(direction, "", "", port, true);
        }
        String subset = cut[0];
        String host = cut[1].contains(sep) ? "" : cut[1];
        return new SubsetKey(direction, subset, host, port, true);
    }

    /** istioctl's order: host, then subset, then port, then direction. */
    static boolean less(SubsetKey a, SubsetKey b) {
        if (a.host.equals(b.host)) {
            if (a.subset.equals(b.subset)) {
                if (a.port == b.port) {
                    return a.direction.compareTo(b.direction) < 0;
                }
                return a.port < b.port;
            }
            return a.subset.compareTo(b.subset) < 0;
        }
        return a.host.compareTo(b.host) < 0;
    }

    private static String[] cut(String s, String sep) {
        int i = s.indexOf(sep);
        return i < 0 ? null : new String[] {s.substring(0, i), s.substring(i + sep.length())};
    }

    /** Go's {@code strconv.Atoi} with the error ignored: 0 unless the whole text is a (signed) decimal int. */
    static int atoi(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
