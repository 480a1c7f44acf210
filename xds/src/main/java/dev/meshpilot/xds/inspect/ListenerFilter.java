package dev.meshpilot.xds.inspect;

/**
 * istioctl's listener filters ({@code --address}, {@code --port}, {@code --type}): the address (case-insensitive)
 * among the listener's addresses, its port, and its type ({@code HTTP}, {@code TCP}, {@code HTTP+TCP},
 * {@code UNKNOWN}, case-insensitive).
 */
public record ListenerFilter(String address, int port, String type) {

    public static final ListenerFilter ALL = new ListenerFilter("", 0, "");

    public ListenerFilter {
        address = address == null ? "" : address;
        type = type == null ? "" : type;
    }
}
