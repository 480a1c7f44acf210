package dev.meshpilot.xds.inspect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TabTableTest {

    @Test
    void lastCellIsUnpadded_andColumnsTakeWidestCellPlusPadding() {
        String out = new TabTable(2).row("A", "BB", "C").row("AAA", "B", "CCCC").render();
        assertThat(out).isEqualTo("A    BB  C\nAAA  B   CCCC\n");
    }

    @Test
    void columnWidthIsComputedPerRunOfLinesHavingThatColumn() {
        // The middle line has a single cell, which ends the run of column 0 (Go tabwriter semantics).
        String out = new TabTable(1).row("longcell", "x").row("solo").row("a", "y").render();
        assertThat(out).isEqualTo("longcell x\nsolo\na y\n");
    }
}
