package dev.meshpilot.xds.dump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.xds.json.XdsJson;

import java.util.Collection;

/**
 * Prints resources read from a dump ({@code proxy-config --file -o json}) as a proto3 JSON array, exactly as
 * {@link XdsJson#printMessages} does for meshpilot's own resources; resources that held {@code Any}s of unknown
 * types get those objects back as the dump had them.
 */
public final class DumpJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(DumpTypeRegistry.get())
            .sortingMapKeys();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Two-space indentation and {@code "key": value}, as protobuf's printer writes. */
    private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter PRETTY =
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));

    private DumpJson() {
    }

    public static String printMessages(Collection<? extends Message> messages) {
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (Message message : messages) {
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append("  ").append(print(message).replace("\n", "\n  "));
        }
        return out.append(first ? "]" : "\n]").append('\n').toString();
    }

    public static String print(Message message) {
        String json;
        try {
            json = PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName() + ": "
                    + e.getMessage(), e);
        }
        if (!json.contains(UnknownAnys.STRUCT_URL)) {
            return json;
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            UnknownAnys.restore(tree);
            return MAPPER.writer(PRETTY).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read printed JSON: " + e.getMessage(), e);
        }
    }
}
