package dev.meshpilot.cli.status;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two line lists, in the format istioctl prints through go-difflib ({@code --- FROM},
 * {@code +++ TO}, {@code @@ -start,len +start,len @@} hunks with N lines of context). Common leading and trailing
 * lines are set aside first; the rest is matched by longest common subsequence, or, when that would need more than
 * {@value #MAX_CELLS} table cells, shown as one replaced block.
 */
final class UnifiedDiff {
    static final int MAX_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    private record Edit(char op, String line) {
    }

    /** The diff, or the empty string when the lists are equal. */
    static String of(String fromName, List<String> a, String toName, List<String> b, int context) {
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ").append(fromName).append("\n+++ ").append(toName).append('\n');
        int i = 0;
        int[] aLine = new int[edits.size() + 1];
        int[] bLine = new int[edits.size() + 1];
        for (int k = 0, ai = 0, bi = 0; k < edits.size(); k++) {
            aLine[k] = ai;
            bLine[k] = bi;
            char op = edits.get(k).op();
            if (op != '+') {
                ai++;
            }
            if (op != '-') {
                bi++;
            }
        }
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;
            // Extend the hunk while the next change is within 2 × context unchanged lines.
            int k = i;
            while (k < edits.size()) {
                if (edits.get(k).op() != ' ') {
                    end = k;
                    k++;
                    continue;
                }
                int run = k;
                while (run < edits.size() && edits.get(run).op() == ' ') {
                    run++;
                }
                if (run < edits.size() && run - k <= 2 * context) {
                    k = run;
                } else {
                    break;
                }
            }
            int stop = Math.min(edits.size(), end + 1 + context);
            int aCount = 0;
            int bCount = 0;
            for (int e = start; e < stop; e++) {
                char op = edits.get(e).op();
                if (op != '+') {
                    aCount++;
                }
                if (op != '-') {
                    bCount++;
                }
            }
            out.append("@@ -").append(range(aLine[start], aCount)).append(" +").append(range(bLine[start], bCount))
                    .append(" @@\n");
            for (int e = start; e < stop; e++) {
                out.append(edits.get(e).op()).append(edits.get(e).line()).append('\n');
            }
            i = stop;
        }
        return out.toString();
    }

    /** go-difflib's {@code formatRangeUnified}: 1-based start, length omitted when 1. */
    private static String range(int start0, int length) {
        int beginning = start0 + 1;
        if (length == 1) {
            return Integer.toString(beginning);
        }
        if (length == 0) {
            beginning--;
        }
        return beginning + "," + length;
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            out.add(new Edit(' ', a.get(i)));
        }
        List<String> am = a.subList(prefix, a.size() - suffix);
        List<String> bm = b.subList(prefix, b.size() - suffix);
        if ((long) (am.size() + 1) * (bm.size() + 1) > MAX_CELLS) {
            am.forEach(l -> out.add(new Edit('-', l)));
            bm.forEach(l -> out.add(new Edit('+', l)));
        } else {
            out.addAll(lcs(am, bm));
        }
        for (int i = a.size() - suffix; i < a.size(); i++) {
            out.add(new Edit(' ', a.get(i)));
        }
        return out;
    }

    private static List<Edit> lcs(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] len = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<Edit> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                out.add(new Edit(' ', a.get(i)));
                i++;
                j++;
            } else if (len[i + 1][j] >= len[i][j + 1]) {
                out.add(new Edit('-', a.get(i++)));
            } else {
                out.add(new Edit('+', b.get(j++)));
            }
        }
        while (i < n) {
            out.add(new Edit('-', a.get(i++)));
        }
        while (j < m) {
            out.add(new Edit('+', b.get(j++)));
        }
        return out;
    }
}
