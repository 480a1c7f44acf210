package dev.meshpilot.cli.recommend;

import dev.meshpilot.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the real command line in-process and captures what it printed. */
record RecommendRun(int exitCode, String out, String err) {

    static RecommendRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new RecommendRun(code, out.toString(), err.toString());
    }

    /** A path of the repository (tests run with the module as working directory). */
    static String repo(String relative) {
        String root = System.getProperty("meshpilot.repo.root");
        return (root == null ? Path.of("..") : Path.of(root)).resolve(relative).normalize().toString();
    }
}
