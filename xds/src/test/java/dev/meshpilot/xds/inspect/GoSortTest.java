package dev.meshpilot.xds.inspect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GoSortTest {

    private static boolean bothNumericAndSmaller(String a, String b) {
        try {
            return Integer.parseInt(a) < Integer.parseInt(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void shortSlice_nonNumericRouteNames_stopNumbersMovingPastThem() {
        // istioctl's route "less" is false for any non-numeric name, so insertion sort cannot carry a number past one
        List<String> names = new ArrayList<>(List.of("b", "20", "a", "10", "5"));
        GoSort.slice(names, GoSortTest::bothNumericAndSmaller);
        assertThat(names).containsExactly("b", "20", "a", "5", "10");
    }

    @Test
    void shortSlice_keepsEqualElementsInInputOrder() {
        List<String[]> rows = new ArrayList<>(List.of(new String[] {"1", "x"}, new String[] {"2", "y"},
                new String[] {"3", "x"}, new String[] {"4", "z"}));
        GoSort.slice(rows, (a, b) -> a[1].compareTo(b[1]) > 0);
        assertThat(rows.stream().map(r -> r[0])).containsExactly("4", "2", "1", "3");
    }

    @Test
    void longSlices_endSortedForATotalOrder_includingSortedReversedAndDuplicateHeavyInputs() {
        Random random = new Random(7);
        List<List<Integer>> inputs = new ArrayList<>();
        for (int n : new int[] {13, 49, 50, 51, 200, 1_000, 5_000}) {
            List<Integer> shuffled = new ArrayList<>();
            List<Integer> fewKeys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                shuffled.add(random.nextInt());
                fewKeys.add(random.nextInt(3));
            }
            List<Integer> ascending = new ArrayList<>(shuffled);
            ascending.sort(Comparator.naturalOrder());
            List<Integer> descending = new ArrayList<>(ascending);
            descending.sort(Comparator.reverseOrder());
            inputs.addAll(List.of(shuffled, fewKeys, ascending, descending));
        }
        for (List<Integer> input : inputs) {
            List<Integer> actual = new ArrayList<>(input);
            GoSort.slice(actual, (a, b) -> a < b);
            List<Integer> expected = new ArrayList<>(input);
            expected.sort(Comparator.naturalOrder());
            assertThat(actual).isEqualTo(expected);
        }
    }
}
