package dev.meshpilot.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the real command line in-process and captures what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A path of the repository (tests run with the module as working directory). */
    public static Path repo(String relative) {
        String root = System.getProperty("meshpilot.repo.root");
        return (root == null ? Path.of("..") : Path.of(root)).resolve(relative).normalize();
    }

    /** {@link #repo} as a command-line argument. */
    public static String repoArg(String relative) {
        return repo(relative).toString();
    }
}
