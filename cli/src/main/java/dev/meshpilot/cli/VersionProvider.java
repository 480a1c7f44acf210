package dev.meshpilot.cli;

import picocli.CommandLine;

/** Reports the version Maven stamped into the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"meshpilot " + (v == null ? "dev" : v)};
    }
}
