package dev.meshpilot.kube.convert;

import java.util.regex.Pattern;

/** Kubernetes and Istio name syntax checks. */
final class Names {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_LABEL_ANY_CASE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?");

    private Names() {
    }

    static boolean isDns1123Label(String value) {
        return value != null && DNS1123_LABEL.matcher(value).matches();
    }

    /** A DNS name: dot-separated labels (letters, digits, hyphens), 253 characters at most. */
    static boolean isDnsName(String value) {
        if (value == null || value.isEmpty() || value.length() > 253) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!DNS_LABEL_ANY_CASE.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code *}, {@code *.domain} or a DNS name. */
    static boolean isWildcardDnsName(String value) {
        if ("*".equals(value)) {
            return true;
        }
        if (value != null && value.startsWith("*.")) {
            return isDnsName(value.substring(2));
        }
        return isDnsName(value);
    }
}
