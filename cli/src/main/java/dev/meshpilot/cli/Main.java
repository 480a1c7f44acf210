package dev.meshpilot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code meshpilot} command. Each subcommand lives in its own package under {@code dev.meshpilot.cli} and
 * is registered here.
 */
@Command(name = "meshpilot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A service-mesh control plane that scopes each proxy's configuration to what it needs.",
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.meshpilot.cli.proxyconfig.ProxyConfigCommand.class,
                dev.meshpilot.cli.generate.GenerateCommand.class,
                dev.meshpilot.cli.analyze.AnalyzeCommand.class,
                dev.meshpilot.cli.recommend.RecommendCommand.class,
                dev.meshpilot.cli.serve.ServeCommand.class,
                dev.meshpilot.cli.status.ProxyStatusCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (2 for bad usage or input, 1 for runtime failure). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /** The configured command line, for tests that want to capture output. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(ExitCodes::forException);
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
