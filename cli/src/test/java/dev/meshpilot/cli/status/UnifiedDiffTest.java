package dev.meshpilot.cli.status;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The unified diff format go-difflib prints for istioctl (hunk ranges, context, merging near changes). */
class UnifiedDiffTest {
    private static List<String> numbered(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("line " + i);
        }
        return out;
    }

    @Test
    void equalLists_haveNoDiff() {
        assertThat(UnifiedDiff.of("a", numbered(5), "b", numbered(5), 7)).isEmpty();
    }

    @Test
    void oneChangedLine_isAHunkWithThreeLinesOfContextEachSide() {
        List<String> b = new ArrayList<>(numbered(10));
        b.set(4, "line five");
        assertThat(UnifiedDiff.of("Istiod Clusters", numbered(10), "Envoy Clusters", b, 3)).isEqualTo("""
                --- Istiod Clusters
                +++ Envoy Clusters
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void changesFarApart_areSeparateHunks_closeOnesOne() {
        List<String> b = new ArrayList<>(numbered(30));
        b.remove(2);            // line 3 gone
        b.add(25, "inserted");  // after line 26
        String diff = UnifiedDiff.of("a", numbered(30), "b", b, 2);
        assertThat(diff).contains("@@ -1,5 +1,4 @@\n line 1\n line 2\n-line 3\n line 4\n line 5\n")
                .contains("@@ -25,4 +24,5 @@\n line 25\n line 26\n+inserted\n line 27\n line 28\n");
        List<String> c = new ArrayList<>(numbered(10));
        c.set(2, "x");
        c.set(5, "y");
        assertThat(UnifiedDiff.of("a", numbered(10), "b", c, 2).split("@@").length).isEqualTo(3); // one hunk
    }

    @Test
    void insertionIntoAnEmptyList_countsFromZero() {
        assertThat(UnifiedDiff.of("a", List.of(), "b", List.of("new"), 7))
                .isEqualTo("--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n");
    }
}
