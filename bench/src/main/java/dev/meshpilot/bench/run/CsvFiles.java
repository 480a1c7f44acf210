package dev.meshpilot.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The result files under {@code bench/results}: rows appended, the header written when a file is new. */
public final class CsvFiles {

    private CsvFiles() {
    }

    public static void append(Path csv, String header, List<String> rows) throws IOException {
        if (!Files.exists(csv)) {
            Files.writeString(csv, header + "\n");
        }
        Files.write(csv, rows, StandardOpenOption.APPEND);
    }
}
