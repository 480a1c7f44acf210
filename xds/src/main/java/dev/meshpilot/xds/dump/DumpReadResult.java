package dev.meshpilot.xds.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What reading a dump skipped or could only keep opaque, for the note printed on standard error.
 *
 * @param source             the file (or stream name) read
 * @param configs            entries of {@code configs} seen
 * @param skippedConfigTypes {@code @type}s of {@code configs} entries not read (scoped routes, ECDS, v2…) → count
 * @param opaqueAnyTypes     {@code Any} type URLs kept opaque inside resources (Istio's own filters…) → count
 * @param warming            dynamic resources still warming (read, not shown in the tables, as istioctl)
 * @param hasEndpoints       true when the dump has an endpoints section ({@code ?include_eds})
 */
public record DumpReadResult(String source, int configs, Map<String, Integer> skippedConfigTypes,
                             Map<String, Integer> opaqueAnyTypes, int warming, boolean hasEndpoints) {

    public DumpReadResult {
        skippedConfigTypes = Map.copyOf(skippedConfigTypes);
        opaqueAnyTypes = Map.copyOf(opaqueAnyTypes);
    }

    /** One line per thing worth telling the user; empty when the dump was read whole. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (!skippedConfigTypes.isEmpty()) {
            notes.add(source + ": skipped " + skippedConfigTypes.values().stream().mapToInt(Integer::intValue).sum()
                    + " config sections of types meshpilot does not read: " + describe(skippedConfigTypes));
        }
        if (!opaqueAnyTypes.isEmpty()) {
            notes.add(source + ": " + opaqueAnyTypes.values().stream().mapToInt(Integer::intValue).sum()
                    + " typed configs of types meshpilot does not know were kept as opaque structs: "
                    + describe(opaqueAnyTypes));
        }
        if (warming > 0) {
            notes.add(source + ": " + warming + " warming resources are not shown (istioctl shows active ones)");
        }
        return notes;
    }

    private static String describe(Map<String, Integer> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().substring(e.getKey().lastIndexOf('/') + 1) + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
