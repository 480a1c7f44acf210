package dev.meshpilot.xds.generate;

import io.envoyproxy.envoy.config.core.v3.CidrRange;

import java.util.regex.Pattern;

/** IP addresses and CIDR blocks as Envoy {@code CidrRange}s ({@code /32} or {@code /128} for a single address). */
final class IpPrefixes {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpPrefixes() {
    }

    /** True for an IP literal or an IP/len block, other than an unspecified address; false for names. */
    static boolean isUsable(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        int slash = address.indexOf('/');
        String ip = slash < 0 ? address : address.substring(0, slash);
        if (ip.equals("0.0.0.0") || ip.equals("::")) {
            return false;
        }
        boolean v4 = IPV4.matcher(ip).matches();
        if (!v4 && !IPV6.matcher(ip).matches()) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String length = address.substring(slash + 1);
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int bits = Integer.parseInt(length);
        return bits >= 1 && bits <= (v4 ? 32 : 128);
    }

    /** The range of one usable address ({@link #isUsable}): the whole length for a single address. */
    static CidrRange of(String address) {
        int slash = address.indexOf('/');
        String ip = slash < 0 ? address : address.substring(0, slash);
        int length = slash < 0 ? (ip.contains(":") ? 128 : 32) : Integer.parseInt(address.substring(slash + 1));
        return CidrRange.newBuilder().setAddressPrefix(ip).setPrefixLen(Protos.uint32(length)).build();
    }
}
