package dev.meshpilot.insight.evidence.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.core.ledger.EvidenceException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One Prometheus server's {@code /api/v1/query_range}, called with POST (queries may be long) and answered as
 * parsed series. Every failure is an {@link EvidenceException} whose one-line message names the endpoint and the
 * cause: cannot connect, no answer within the timeout, an HTTP error status (with Prometheus's {@code error}),
 * a malformed or oversized answer, {@code status: error}.
 *
 * <p>The timeout bounds the wait for the answer's headers, which Prometheus sends only once the query is
 * evaluated; the body is then bounded in bytes and in series.
 */
final class PrometheusApi {

    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI queryRange;
    private final HttpClient client;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final RangeResponseParser parser;

    PrometheusApi(URI baseUri, HttpClient client, Duration timeout, long maxResponseBytes, int maxSeries) {
        String base = Objects.requireNonNull(baseUri, "baseUri").toString();
        this.queryRange = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/query_range");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxResponseBytes = maxResponseBytes;
        this.parser = new RangeResponseParser(maxSeries);
    }

    URI endpoint() {
        return queryRange;
    }

    RangeResponseParser.RangeResult queryRange(String query, Instant start, Instant end, Duration step) {
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + step.toSeconds();
        HttpRequest request = HttpRequest.newBuilder(queryRange)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<InputStream> response = send(request);
        try (InputStream body = new BoundedInputStream(response.body(), maxResponseBytes)) {
            if (response.statusCode() != 200) {
                throw fail("HTTP " + response.statusCode() + errorDetail(body));
            }
            return parser.parse(body);
        } catch (BoundedInputStream.TooLarge e) {
            throw fail("answer larger than " + maxResponseBytes + " bytes; narrow the window");
        } catch (RangeResponseParser.Problem e) {
            throw fail(e.getMessage());
        } catch (IOException e) {
            throw fail("reading the answer failed: " + describe(e));
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw fail("cannot connect within " + timeout.toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            throw fail("no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            // The JDK client reports a refused connection as a ConnectException without a message.
            String message = e.getMessage();
            throw fail("cannot connect (" + (message == null || message.isBlank() ? "connection refused" : message) + ")");
        } catch (IOException e) {
            throw fail("request failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for the answer");
        }
    }

    /** Prometheus's {@code error} (and {@code errorType}) when the error body is its JSON, else the body's start. */
    private static String errorDetail(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            return "";
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            JsonNode json = JSON.readTree(text);
            if (json != null && json.hasNonNull("error")) {
                String type = json.path("errorType").asText("");
                return ": " + (type.isEmpty() ? "" : type + ": ") + json.get("error").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        if (text.startsWith("<")) {
            return " (an HTML page: is this Prometheus's URL?)";
        }
        String line = text.lines().findFirst().orElse("");
        return line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }

    private EvidenceException fail(String cause) {
        return new EvidenceException("prometheus " + queryRange + ": " + cause);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getMessage();
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static String seconds(Instant at) {
        return at.getEpochSecond() + (at.getNano() == 0 ? "" : String.format(".%03d", at.getNano() / 1_000_000));
    }
}
