package dev.meshpilot.kube.directory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads kind, namespace and name from a document's text by looking at its lines, without a YAML parser: what a
 * document that cannot be parsed names, so that its object's last good version can be kept. Only the plain layouts
 * are recognised ({@code kind:} at column 0; {@code name:}/{@code namespace:} one level under {@code metadata:}, in
 * block or flow style); anything else yields an empty header and the document is matched by its position.
 */
final class DocumentHeader {
    private static final Pattern KIND = Pattern.compile("(?m)^kind:[ \\t]*[\"']?([A-Za-z][A-Za-z0-9]*)[\"']?[ \\t]*(#.*)?$");
    private static final Pattern METADATA = Pattern.compile("(?m)^metadata:(.*)$");
    private static final Pattern FLOW_FIELD = Pattern.compile("(?:^|[{,\\s])(name|namespace):[ \\t]*[\"']?([a-z0-9.-]+)");
    private static final Pattern BLOCK_FIELD = Pattern.compile("^([ \\t]+)(name|namespace):[ \\t]*[\"']?([a-z0-9.-]+)[\"']?[ \\t]*(#.*)?$");

    /** Kind, namespace and name ({@code ""} where unknown). */
    record Header(String kind, String namespace, String name) {
    }

    private DocumentHeader() {
    }

    static Header scan(String text) {
        Matcher kind = KIND.matcher(text);
        String k = kind.find() ? kind.group(1) : "";
        String name = "";
        String namespace = "";
        Matcher metadata = METADATA.matcher(text);
        if (metadata.find()) {
            String rest = metadata.group(1).strip();
            if (rest.startsWith("{")) {
                Matcher f = FLOW_FIELD.matcher(rest);
                while (f.find()) {
                    if (f.group(1).equals("name") && name.isEmpty()) {
                        name = f.group(2);
                    } else if (f.group(1).equals("namespace") && namespace.isEmpty()) {
                        namespace = f.group(2);
                    }
                }
            } else {
                String[] lines = text.substring(metadata.end()).split("\n");
                int indent = -1;
                for (String line : lines) {
                    if (line.isBlank() || line.stripLeading().startsWith("#")) {
                        continue;
                    }
                    if (!Character.isWhitespace(line.charAt(0))) {
                        break;
                    }
                    int lineIndent = line.length() - line.stripLeading().length();
                    if (indent < 0) {
                        indent = lineIndent;
                    }
                    if (lineIndent != indent) {
                        continue;
                    }
                    Matcher f = BLOCK_FIELD.matcher(line);
                    if (f.matches()) {
                        if (f.group(2).equals("name") && name.isEmpty()) {
                            name = f.group(3);
                        } else if (f.group(2).equals("namespace") && namespace.isEmpty()) {
                            namespace = f.group(3);
                        }
                    }
                }
            }
        }
        return new Header(k, namespace, name);
    }
}
