package dev.meshpilot.insight.render;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Draws the report's charts as inline SVG (no script, no external reference): horizontal bars with an optional
 * second series, and a column histogram. Every value passed in is drawn; labels are escaped.
 */
final class Svg {

    /** Colour of the "now" series. */
    static final String NOW = "#d1495b";
    /** Colour of the "proposed" series. */
    static final String PROPOSED = "#00798c";
    private static final String AXIS = "#888888";
    private static final String TEXT = "#222222";

    /** One part of a stacked bar. */
    record Segment(String name, long value, String colour) {
    }

    /** One labelled stacked bar. */
    record Stack(String label, List<Segment> segments) {
        long total() {
            return segments.stream().mapToLong(Segment::value).sum();
        }
    }

    /** One labelled bar (or pair of bars). {@code proposed} empty draws one bar. */
    record Bar(String label, long now, Optional<Long> proposed) {
    }

    private Svg() {
    }

    /**
     * Horizontal bars, one row per item, "now" above "proposed".
     *
     * @param format value labels drawn at the end of each bar
     */
    static String horizontalBars(String title, List<Bar> bars, LongFunction<String> format) {
        return horizontalBars(title, bars, format, false);
    }

    /**
     * @param rowScale scale each row to its own largest value (for rows of different units or magnitudes)
     */
    static String horizontalBars(String title, List<Bar> bars, LongFunction<String> format, boolean rowScale) {
        boolean pairs = bars.stream().anyMatch(b -> b.proposed().isPresent());
        int labelWidth = 260;
        int chartWidth = 560;
        int valueWidth = 110;
        int barHeight = 12;
        int rowHeight = pairs ? 2 * barHeight + 8 : barHeight + 8;
        int top = 34;
        int height = top + Math.max(1, bars.size()) * rowHeight + 24;
        int width = labelWidth + chartWidth + valueWidth;
        long max = 1;
        for (Bar b : bars) {
            max = Math.max(max, b.now());
            max = Math.max(max, b.proposed().orElse(0L));
        }
        StringBuilder svg = open(width, height, title);
        legend(svg, pairs, labelWidth, 14);
        int y = top;
        for (Bar b : bars) {
            if (rowScale) {
                max = Math.max(1, Math.max(b.now(), b.proposed().orElse(0L)));
            }
            svg.append(text(labelWidth - 8, y + barHeight - 1, "end", Formats.fit(b.label(), 40)));
            bar(svg, labelWidth, y, scaled(b.now(), max, chartWidth), barHeight, NOW, format.apply(b.now()));
            if (b.proposed().isPresent()) {
                long p = b.proposed().get();
                bar(svg, labelWidth, y + barHeight + 2, scaled(p, max, chartWidth), barHeight, PROPOSED,
                        format.apply(p));
            }
            y += rowHeight;
        }
        svg.append(line(labelWidth, top - 4, labelWidth, y));
        return close(svg);
    }

    /**
     * Columns per bin of a distribution; with two series, side by side.
     *
     * @param binLabels one label per bin (the bin's range)
     */
    static String histogram(String title, List<String> binLabels, long[] now, Optional<long[]> proposed,
                            String yLabel) {
        int left = 60;
        int plotWidth = 820;
        int plotHeight = 220;
        int top = 34;
        int width = left + plotWidth + 20;
        int height = top + plotHeight + 60;
        long max = 1;
        for (int i = 0; i < now.length; i++) {
            max = Math.max(max, now[i]);
            if (proposed.isPresent()) {
                max = Math.max(max, proposed.get()[i]);
            }
        }
        StringBuilder svg = open(width, height, title);
        legend(svg, proposed.isPresent(), left, 14);
        int bins = binLabels.size();
        double binWidth = (double) plotWidth / bins;
        int base = top + plotHeight;
        for (int i = 0; i < bins; i++) {
            double x = left + i * binWidth;
            double w = proposed.isPresent() ? (binWidth - 6) / 2 : binWidth - 6;
            column(svg, x + 3, base, w, scaled(now[i], max, plotHeight), NOW, now[i]);
            if (proposed.isPresent()) {
                long p = proposed.get()[i];
                column(svg, x + 3 + w, base, w, scaled(p, max, plotHeight), PROPOSED, p);
            }
            svg.append(text((int) Math.round(x + binWidth / 2), base + 16, "middle", binLabels.get(i)));
        }
        svg.append(line(left, top, left, base)).append(line(left, base, left + plotWidth, base));
        svg.append(text(left - 6, top + 10, "end", Long.toString(max)));
        svg.append(text(left - 6, base, "end", "0"));
        svg.append(text(left + plotWidth / 2, base + 40, "middle", yLabel));
        return close(svg);
    }

    /**
     * Horizontal stacked bars on one scale, with a legend of the first stack's segment names.
     */
    static String stackedBars(String title, List<Stack> stacks, LongFunction<String> format) {
        int labelWidth = 260;
        int chartWidth = 560;
        int valueWidth = 110;
        int barHeight = 16;
        int rowHeight = barHeight + 10;
        int top = 34;
        int height = top + Math.max(1, stacks.size()) * rowHeight + 24;
        int width = labelWidth + chartWidth + valueWidth;
        long max = Math.max(1, stacks.stream().mapToLong(Stack::total).max().orElse(1));
        StringBuilder svg = open(width, height, title);
        if (!stacks.isEmpty()) {
            int x = labelWidth;
            for (Segment segment : stacks.get(0).segments()) {
                svg.append(swatch(x, 5, segment.colour())).append(text(x + 14, 14, "start", segment.name()));
                x += 24 + 7 * segment.name().length();
            }
        }
        int y = top;
        for (Stack stack : stacks) {
            svg.append(text(labelWidth - 8, y + barHeight - 3, "end", Formats.fit(stack.label(), 40)));
            double x = labelWidth;
            for (Segment segment : stack.segments()) {
                double length = scaled(segment.value(), max, chartWidth);
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                        x, y, length, barHeight, segment.colour(),
                        Html.escape(segment.name() + ": " + format.apply(segment.value()))));
                x += length;
            }
            svg.append(text((int) Math.round(x + 4), y + barHeight - 3, "start", format.apply(stack.total())));
            y += rowHeight;
        }
        svg.append(line(labelWidth, top - 4, labelWidth, y));
        return close(svg);
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">",
                width, height, width, height, Html.escape(title)));
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>", width, height));
        return svg;
    }

    private static String close(StringBuilder svg) {
        return svg.append("</svg>").toString();
    }

    private static void legend(StringBuilder svg, boolean pairs, int x, int y) {
        svg.append(swatch(x, y - 9, NOW)).append(text(x + 14, y, "start", "now"));
        if (pairs) {
            svg.append(swatch(x + 60, y - 9, PROPOSED)).append(text(x + 74, y, "start", "proposed"));
        }
    }

    private static String swatch(int x, int y, String colour) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                x, y, colour);
    }

    private static void bar(StringBuilder svg, int x, int y, double length, int height, String colour, String value) {
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                x, y, Math.max(length, 1.0), height, colour, Html.escape(value)));
        svg.append(text((int) Math.round(x + Math.max(length, 1.0) + 4), y + height - 2, "start", value));
    }

    private static void column(StringBuilder svg, double x, int base, double width, double height, String colour,
                               long value) {
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%d</title></rect>",
                x, base - height, Math.max(width, 1.0), height, colour, value));
        if (value > 0) {
            svg.append(text((int) Math.round(x + width / 2), (int) Math.round(base - height - 3), "middle",
                    Long.toString(value)));
        }
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>",
                x1, y1, x2, y2, AXIS);
    }

    private static String text(int x, int y, String anchor, String text) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s</text>",
                x, y, anchor, TEXT, Html.escape(text));
    }

    private static double scaled(long value, long max, int length) {
        return max <= 0 ? 0 : (double) value / max * length;
    }
}
