package dev.meshpilot.xds.json;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.Collection;

/**
 * Proto3 JSON for xDS resources and config dumps: camelCase field names, default values omitted, map keys sorted,
 * {@code Any} expanded through {@link XdsTypeRegistry} (so {@code typed_config} prints as the message it holds).
 * The same input always prints the same text.
 */
public final class XdsJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(XdsTypeRegistry.get())
            .sortingMapKeys();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(XdsTypeRegistry.get());

    private XdsJson() {
    }

    /** One message as pretty-printed proto3 JSON. */
    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an Any holds a type missing from the xDS type registry: " + e.getMessage(), e);
        }
    }

    /** The resources as a JSON array, in the given order (a {@link ResourceSet} is name-ordered). */
    public static String printArray(Collection<XdsResource> resources) {
        return printMessages(resources.stream().map(XdsResource::proto).toList());
    }

    /** Messages as a JSON array, in the given order ({@code proxy-config -o json} prints resources this way). */
    public static String printMessages(Collection<? extends Message> messages) {
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (Message message : messages) {
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append(indent(print(message)));
        }
        return out.append(first ? "]" : "\n]").append('\n').toString();
    }

    public static String printArray(ResourceSet set) {
        return printArray(set.resources());
    }

    /** Parses proto3 JSON into a builder (tests and tools reading dumps back). */
    public static <B extends Message.Builder> B parse(String json, B builder) throws InvalidProtocolBufferException {
        PARSER.merge(json, builder);
        return builder;
    }

    private static String indent(String json) {
        return "  " + json.replace("\n", "\n  ");
    }
}
