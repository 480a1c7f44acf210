package dev.meshpilot.insight.whatif;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code edges.csv}: a header {@code source_workload,source_namespace,destination_host,destination_port,evidence}
 * then one call per line. Fields may be double-quoted (with {@code ""} for a quote inside); the evidence may be
 * missing. A malformed line is a {@link TrafficFileException} naming the file, line and field.
 */
public final class TrafficEdges {

    static final List<String> HEADER = List.of("source_workload", "source_namespace", "destination_host",
            "destination_port", "evidence");

    private TrafficEdges() {
    }

    public static List<TrafficEdge> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TrafficFileException(file + ": cannot read traffic edges: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    static List<TrafficEdge> parse(String source, List<String> lines) {
        List<TrafficEdge> edges = new ArrayList<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line, source, number);
            if (!headerSeen) {
                headerSeen = true;
                if (fields.size() < 4 || !fields.subList(0, 4).equals(HEADER.subList(0, 4))) {
                    throw new TrafficFileException(source + ":" + number + ": expected the header "
                            + String.join(",", HEADER) + ", found '" + line + "'");
                }
                continue;
            }
            if (fields.size() < 4) {
                throw new TrafficFileException(source + ":" + number + ": expected at least 4 fields ("
                        + String.join(",", HEADER.subList(0, 4)) + "), found " + fields.size());
            }
            for (int f = 0; f < 3; f++) {
                if (fields.get(f).isBlank()) {
                    throw new TrafficFileException(source + ":" + number + ": field " + HEADER.get(f) + " is empty");
                }
            }
            int port;
            try {
                port = Integer.parseInt(fields.get(3).trim());
            } catch (NumberFormatException e) {
                throw new TrafficFileException(source + ":" + number + ": field destination_port is not a number: '"
                        + fields.get(3) + "'");
            }
            if (port < 1 || port > 65535) {
                throw new TrafficFileException(source + ":" + number + ": field destination_port out of range: " + port);
            }
            edges.add(new TrafficEdge(fields.get(0).trim(), fields.get(1).trim(), fields.get(2).trim(), port,
                    fields.size() > 4 ? fields.get(4) : "", number));
        }
        if (!headerSeen) {
            throw new TrafficFileException(source + ": empty traffic file; expected the header "
                    + String.join(",", HEADER));
        }
        return List.copyOf(edges);
    }

    private static List<String> fields(String line, String source, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new TrafficFileException(source + ":" + number + ": unterminated quoted field");
        }
        out.add(field.toString());
        return out;
    }
}
