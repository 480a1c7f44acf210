package dev.meshpilot.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a report goes: standard output, or {@code --out FILE} (parents created) with one line saying so. */
public final class ReportOutput {

    private ReportOutput() {
    }

    /**
     * Prints {@code text}, or writes it to {@code out} and prints {@code wrote OUT (summary)}; an unwritable file is a
     * user error of {@code command}.
     */
    public static void write(CommandSpec spec, String command, Path out, String text, String summary) {
        if (out == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(text);
            stdout.flush();
            return;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException(command + ": cannot write --out " + out + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("wrote " + out + " (" + summary + ")");
    }
}
