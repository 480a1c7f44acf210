package dev.meshpilot.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A small line chart as standalone SVG: logarithmic x axis (services or proxies grow by decades), linear y axis
 * from zero, one coloured polyline with point markers per series, and a legend. Deterministic output.
 */
final class SvgChart {

    record Point(double x, double y) {
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#e377c2", "#7f7f7f", "#17becf", "#bcbd22", "#393b79", "#637939"};
    private static final int WIDTH = 700;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<Point>> series;

    SvgChart(String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = series;
    }

    String render() {
        TreeSet<Double> xs = new TreeSet<>();
        double yMax = 0;
        for (List<Point> points : series.values()) {
            for (Point p : points) {
                xs.add(p.x());
                yMax = Math.max(yMax, p.y());
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(WIDTH / 2.0 - RIGHT / 2.0, 22, title, "middle", 14));
        if (xs.isEmpty()) {
            svg.append(text(WIDTH / 2.0, HEIGHT / 2.0, "no data", "middle", 12)).append("</svg>\n");
            return svg.toString();
        }
        double xMin = Math.log10(xs.first());
        double xMaxLog = Math.log10(xs.last());
        if (xMaxLog - xMin < 1e-9) {
            xMin -= 0.5;
            xMaxLog += 0.5;
        }
        double yTop = niceCeiling(yMax);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        final double fxMin = xMin;
        final double fxSpan = xMaxLog - xMin;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + (Math.log10(x) - fxMin) / fxSpan * plotW;
        java.util.function.DoubleUnaryOperator py = y -> TOP + plotH - y / yTop * plotH;

        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double y = yTop * i / 4;
            double yPix = py.applyAsDouble(y);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, LEFT + plotW, yPix, yPix));
            svg.append(text(LEFT - 6, yPix + 4, format(y), "end", 11));
        }
        for (double x : xs) {
            double xPix = px.applyAsDouble(x);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\" stroke=\"#ddd\"/>%n",
                    xPix, xPix, TOP, TOP + plotH));
            svg.append(text(xPix, TOP + plotH + 16, format(x), "middle", 11));
        }
        svg.append(text(LEFT + plotW / 2, HEIGHT - 12, xLabel + " (log scale)", "middle", 12));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"12\" "
                + "transform=\"rotate(-90 16 %.0f)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));

        int i = 0;
        for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            List<String> coords = new ArrayList<>();
            for (Point p : entry.getValue()) {
                coords.add(String.format(Locale.ROOT, "%.1f,%.1f", px.applyAsDouble(p.x()), py.applyAsDouble(p.y())));
            }
            if (coords.size() > 1) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                        .append(String.join(" ", coords)).append("\"/>\n");
            }
            for (String c : coords) {
                String[] xy = c.split(",");
                svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"4\" fill=\"")
                        .append(colour).append("\"/>\n");
            }
            double ly = TOP + 10 + i * 18;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.0f\" width=\"12\" height=\"4\" fill=\"%s\"/>%n",
                    WIDTH - RIGHT + 14, ly - 4, colour));
            svg.append(text(WIDTH - RIGHT + 32, ly + 1, entry.getKey(), "start", 11));
            i++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(s));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
