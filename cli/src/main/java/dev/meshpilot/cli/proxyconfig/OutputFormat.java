package dev.meshpilot.cli.proxyconfig;

import picocli.CommandLine;

/** {@code -o}: istioctl's table ({@code short}), proto3 JSON, or the same as YAML. */
enum OutputFormat {
    SHORT, JSON, YAML;

    /** Parses the lower-case names users type. */
    static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value) {
                case "short" -> SHORT;
                case "json" -> JSON;
                case "yaml" -> YAML;
                default -> throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not an output format; use short, json or yaml");
            };
        }
    }
}
