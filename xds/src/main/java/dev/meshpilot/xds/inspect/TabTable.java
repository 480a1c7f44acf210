package dev.meshpilot.xds.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated rows the way Go's {@code text/tabwriter} does for istioctl (minwidth 0, padchar space):
 * a cell followed by a tab belongs to a column whose width, within a run of consecutive lines that all have that
 * column, is its widest cell plus the padding; the last cell of a line is written unpadded. Reproducing it
 * keeps our tables byte-compatible with what operators' scripts parse.
 */
final class TabTable {

    private final int padding;
    private final List<String[]> rows = new ArrayList<>();

    TabTable(int padding) {
        this.padding = padding;
    }

    TabTable row(String... cells) {
        rows.add(cells.clone());
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        int[][] widths = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            widths[i] = new int[Math.max(0, rows.get(i).length - 1)];
        }
        int maxColumns = rows.stream().mapToInt(r -> r.length - 1).max().orElse(0);
        for (int col = 0; col < maxColumns; col++) {
            int start = 0;
            while (start < rows.size()) {
                if (rows.get(start).length - 1 <= col) {
                    start++;
                    continue;
                }
                int end = start;
                int widest = 0;
                while (end < rows.size() && rows.get(end).length - 1 > col) {
                    widest = Math.max(widest, rows.get(end)[col].length());
                    end++;
                }
                for (int i = start; i < end; i++) {
                    widths[i][col] = widest + padding;
                }
                start = end;
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i);
            for (int c = 0; c < cells.length; c++) {
                out.append(cells[c]);
                if (c < cells.length - 1) {
                    out.append(" ".repeat(widths[i][c] - cells[c].length()));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
