package dev.meshpilot.insight.render;

import dev.meshpilot.insight.footprint.FootprintReport;

import java.util.Locale;

/** The report's renderings: {@code -o table|json|html}. */
public enum OutputFormat {
    TABLE, JSON, HTML;

    public String render(FootprintReport report) {
        return switch (this) {
            case TABLE -> new TableRenderer().render(report);
            case JSON -> new JsonRenderer().render(report);
            case HTML -> new HtmlRenderer().render(report);
        };
    }

    /** The HTTP content type of this rendering. */
    public String contentType() {
        return switch (this) {
            case TABLE -> "text/plain; charset=utf-8";
            case JSON -> "application/json";
            case HTML -> "text/html; charset=utf-8";
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
