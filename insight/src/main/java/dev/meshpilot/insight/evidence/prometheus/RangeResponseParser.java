package dev.meshpilot.insight.evidence.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Prometheus HTTP API answer ({@code {"status": ..., "data": {"resultType": "matrix", "result": [...]}}})
 * as a stream, one series at a time, so that an answer with too many series is refused before it is all held.
 * Problems are {@link Problem}s with a message meant for the user.
 */
final class RangeResponseParser {

    /** The answer cannot be used; the message says why in a few words. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message);
        }
    }

    /** A successful answer: the series and Prometheus's warnings. */
    record RangeResult(List<MetricSeries> series, List<String> warnings) {
        RangeResult {
            series = List.copyOf(series);
            warnings = List.copyOf(warnings);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper();

    private final int maxSeries;

    RangeResponseParser(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    RangeResult parse(InputStream body) throws IOException, Problem {
        String status = null;
        String errorType = "";
        String error = "";
        List<String> warnings = new ArrayList<>();
        List<MetricSeries> series = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Problem("malformed JSON response: expected an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString("");
                    case "error" -> error = p.getValueAsString("");
                    case "warnings" -> warnings.addAll(strings(p, value));
                    case "data" -> series = data(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Problem("malformed JSON response: " + e.getOriginalMessage());
        }
        if ("error".equals(status)) {
            throw new Problem("Prometheus answered status error" + (errorType.isEmpty() ? "" : " (" + errorType + ")")
                    + ": " + (error.isEmpty() ? "no message" : error));
        }
        if (!"success".equals(status)) {
            throw new Problem("malformed JSON response: status is " + (status == null ? "missing" : "'" + status + "'"));
        }
        if (series == null) {
            throw new Problem("malformed JSON response: no data.result");
        }
        return new RangeResult(series, warnings);
    }

    private List<MetricSeries> data(JsonParser p, JsonToken start) throws IOException, Problem {
        if (start != JsonToken.START_OBJECT) {
            throw new Problem("malformed JSON response: data is not an object");
        }
        List<MetricSeries> series = null;
        String resultType = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                resultType = p.getValueAsString();
            } else if (field.equals("result")) {
                series = result(p, value);
            } else {
                p.skipChildren();
            }
        }
        if (resultType != null && !resultType.equals("matrix")) {
            throw new Problem("expected a matrix result, got '" + resultType + "'");
        }
        return series;
    }

    private List<MetricSeries> result(JsonParser p, JsonToken start) throws IOException, Problem {
        if (start != JsonToken.START_ARRAY) {
            throw new Problem("malformed JSON response: data.result is not an array");
        }
        List<MetricSeries> series = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (series.size() == maxSeries) {
                throw new Problem("more than " + maxSeries + " series; narrow the window or aggregate in a "
                        + "recording rule");
            }
            series.add(oneSeries(TREES.readTree(p), series.size()));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new Problem("malformed JSON response: data.result holds something other than series objects");
        }
        return series;
    }

    private static MetricSeries oneSeries(JsonNode node, int index) throws Problem {
        JsonNode metric = node.path("metric");
        JsonNode values = node.path("values");
        if (!metric.isObject() || !values.isArray()) {
            throw new Problem("malformed JSON response: series " + index + " lacks metric or values");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            labels.put(label.getKey(), label.getValue().asText());
        }
        List<MetricSeries.Sample> samples = new ArrayList<>(values.size());
        for (JsonNode pair : values) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
                throw new Problem("malformed JSON response: series " + index + " has a value that is not "
                        + "[time, \"value\"]");
            }
            samples.add(new MetricSeries.Sample(instant(pair.get(0).decimalValue()), number(pair.get(1), index)));
        }
        return new MetricSeries(labels, samples);
    }

    private static Instant instant(BigDecimal seconds) {
        BigDecimal millis = seconds.movePointRight(3);
        return Instant.ofEpochMilli(millis.longValue());
    }

    private static double number(JsonNode value, int index) throws Problem {
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            throw new Problem("malformed JSON response: series " + index + " has the value '" + value.asText()
                    + "', not a number");
        }
    }

    private static List<String> strings(JsonParser p, JsonToken start) throws IOException {
        List<String> out = new ArrayList<>();
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getValueAsString(String.valueOf(p.getText())));
            p.skipChildren();
        }
        return out;
    }
}
