package dev.meshpilot.xds.validate;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A generic checker of the protoc-gen-validate rules ({@code validate.rules}, {@code validate.required},
 * {@code validate.disabled}/{@code ignored}) that Envoy's protos carry as options, driven by descriptors alone: it
 * walks any message, recursing into nested messages, repeated and map values and into {@code Any} payloads whose
 * type the given resolver knows. Covered: message required/skip; string len/min_len/max_len/bytes lengths, const,
 * pattern, prefix, suffix, contains, not_contains, in/not_in, well-known hostname/ip/address and the HTTP header
 * regexes; every numeric kind (and their wrappers) const/lt/lte/gt/gte/in/not_in; bool const; bytes lengths;
 * enum const/defined_only/in/not_in; repeated min_items/max_items/unique/items; map min_pairs/max_pairs/keys/values;
 * Any required/in/not_in; Duration required/const/lt/lte/gt/gte; required oneofs; ignore_empty. Not covered
 * (never produced by our generators): email, uri, uri_ref, uuid and Timestamp rules.
 */
public final class ProtoValidator {

    private static final Pattern HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
    private static final Pattern HEADER_VALUE = Pattern.compile("^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*$");
    private static final Pattern LOOSE_HEADER = Pattern.compile("^[^\\u0000\\u000A\\u000D]*$");
    private static final Pattern HOSTNAME = Pattern.compile(
            "^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\\.?$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

    private final Function<String, Descriptor> anyResolver;
    private final boolean unknownAnyIsViolation;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /**
     * @param anyResolver           the descriptor of an Any's type URL, or null when unknown
     * @param unknownAnyIsViolation whether an Any whose type the resolver does not know is reported (otherwise its
     *                              payload is silently not checked)
     */
    public ProtoValidator(Function<String, Descriptor> anyResolver, boolean unknownAnyIsViolation) {
        this.anyResolver = anyResolver;
        this.unknownAnyIsViolation = unknownAnyIsViolation;
    }

    /** Every violation in the message, in field order. */
    public List<Violation> validate(Message message) {
        List<Violation> out = new ArrayList<>();
        checkMessage(message, "", out);
        return out;
    }

    private void checkMessage(Message message, String path, List<Violation> out) {
        Descriptor type = message.getDescriptorForType();
        if (type.getOptions().getExtension(Validate.disabled) || type.getOptions().getExtension(Validate.ignored)) {
            return;
        }
        if (type.getFullName().equals(Any.getDescriptor().getFullName())) {
            checkAnyPayload(message, path, out);
            return;
        }
        for (OneofDescriptor oneof : type.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required) && !message.hasOneof(oneof)) {
                out.add(new Violation("", join(path, oneof.getName()), "oneof required"));
            }
        }
        for (FieldDescriptor field : type.getFields()) {
            checkField(message, field, join(path, field.getName()), out);
        }
    }

    private void checkField(Message message, FieldDescriptor field, String path, List<Violation> out) {
        FieldRules rules = field.getOptions().getExtension(Validate.rules);
        if (field.isMapField()) {
            checkMap(message, field, rules, path, out);
            return;
        }
        if (field.isRepeated()) {
            checkRepeated(message, field, rules, path, out);
            return;
        }
        boolean present = field.hasPresence() ? message.hasField(field) : true;
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (!message.hasField(field)) {
                if (field.getRealContainingOneof() != null) {
                    return; // another member of the oneof (or none) is set: this member's rules do not apply
                }
                if (rules.getMessage().getRequired()
                        || (rules.hasDuration() && rules.getDuration().getRequired())
                        || (rules.hasAny() && rules.getAny().getRequired())
                        || (rules.hasTimestamp() && rules.getTimestamp().getRequired())) {
                    out.add(new Violation("", path, "message.required"));
                }
                return;
            }
            Message value = (Message) message.getField(field);
            checkValue(value, field, rules, path, out);
            return;
        }
        if (!present) {
            return; // a oneof member or proto3 optional that is not set: its rules do not apply
        }
        checkValue(message.getField(field), field, rules, path, out);
    }

    /** Rules of one value (singular field, repeated item or map value) plus recursion into messages. */
    private void checkValue(Object value, FieldDescriptor field, FieldRules rules, String path, List<Violation> out) {
        if (value instanceof Message m) {
            String typeName = m.getDescriptorForType().getFullName();
            if (isWrapper(typeName)) {
                FieldDescriptor inner = m.getDescriptorForType().findFieldByName("value");
                checkScalar(m.getField(inner), inner, rules, path, out);
                return;
            }
            if (typeName.equals(Duration.getDescriptor().getFullName()) && rules.hasDuration()) {
                checkDuration((Duration) toDuration(m), rules.getDuration(), path, out);
            }
            if (typeName.equals(Any.getDescriptor().getFullName()) && rules.hasAny()) {
                String url = (String) m.getField(m.getDescriptorForType().findFieldByName("type_url"));
                Validate.AnyRules any = rules.getAny();
                if (!any.getInList().isEmpty() && !any.getInList().contains(url)) {
                    out.add(new Violation("", path, "any.in " + any.getInList()));
                }
                if (any.getNotInList().contains(url)) {
                    out.add(new Violation("", path, "any.not_in " + any.getNotInList()));
                }
            }
            if (!rules.getMessage().getSkip()) {
                checkMessage(m, path, out);
            }
            return;
        }
        checkScalar(value, field, rules, path, out);
    }

    private void checkScalar(Object value, FieldDescriptor field, FieldRules rules, String path, List<Violation> out) {
        switch (rules.getTypeCase()) {
            case STRING -> checkString((String) value, rules.getString(), path, out);
            case BYTES -> checkBytes((ByteString) value, rules.getBytes(), path, out);
            case BOOL -> {
                if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) value) {
                    out.add(new Violation("", path, "bool.const = " + rules.getBool().getConst()));
                }
            }
            case ENUM -> checkEnum((EnumValueDescriptor) value, rules.getEnum(), path, out);
            case FLOAT -> checkNumber(value, rules.getFloat(), false, "float", path, out);
            case DOUBLE -> checkNumber(value, rules.getDouble(), false, "double", path, out);
            case INT32 -> checkNumber(value, rules.getInt32(), false, "int32", path, out);
            case INT64 -> checkNumber(value, rules.getInt64(), false, "int64", path, out);
            case UINT32 -> checkNumber(value, rules.getUint32(), true, "uint32", path, out);
            case UINT64 -> checkNumber(value, rules.getUint64(), true, "uint64", path, out);
            case SINT32 -> checkNumber(value, rules.getSint32(), false, "sint32", path, out);
            case SINT64 -> checkNumber(value, rules.getSint64(), false, "sint64", path, out);
            case FIXED32 -> checkNumber(value, rules.getFixed32(), true, "fixed32", path, out);
            case FIXED64 -> checkNumber(value, rules.getFixed64(), true, "fixed64", path, out);
            case SFIXED32 -> checkNumber(value, rules.getSfixed32(), false, "sfixed32", path, out);
            case SFIXED64 -> checkNumber(value, rules.getSfixed64(), false, "sfixed64", path, out);
            default -> {
                // no scalar rule on this field
            }
        }
    }

    private void checkRepeated(Message message, FieldDescriptor field, FieldRules rules, String path,
                               List<Violation> out) {
        int count = message.getRepeatedFieldCount(field);
        Validate.RepeatedRules repeated = rules.hasRepeated() ? rules.getRepeated() : null;
        if (repeated != null && !(repeated.getIgnoreEmpty() && count == 0)) {
            if (repeated.hasMinItems() && count < repeated.getMinItems()) {
                out.add(new Violation("", path, "repeated.min_items = " + repeated.getMinItems()));
            }
            if (repeated.hasMaxItems() && count > repeated.getMaxItems()) {
                out.add(new Violation("", path, "repeated.max_items = " + repeated.getMaxItems()));
            }
            if (repeated.getUnique()) {
                Set<Object> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    if (!seen.add(message.getRepeatedField(field, i))) {
                        out.add(new Violation("", path + "[" + i + "]", "repeated.unique"));
                    }
                }
            }
        }
        FieldRules items = repeated != null && repeated.hasItems() ? repeated.getItems() : FieldRules.getDefaultInstance();
        for (int i = 0; i < count; i++) {
            checkValue(message.getRepeatedField(field, i), field, items, path + "[" + i + "]", out);
        }
    }

    private void checkMap(Message message, FieldDescriptor field, FieldRules rules, String path, List<Violation> out) {
        int count = message.getRepeatedFieldCount(field);
        Validate.MapRules map = rules.hasMap() ? rules.getMap() : null;
        if (map != null && !(map.getIgnoreEmpty() && count == 0)) {
            if (map.hasMinPairs() && count < map.getMinPairs()) {
                out.add(new Violation("", path, "map.min_pairs = " + map.getMinPairs()));
            }
            if (map.hasMaxPairs() && count > map.getMaxPairs()) {
                out.add(new Violation("", path, "map.max_pairs = " + map.getMaxPairs()));
            }
        }
        FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        FieldRules keys = map != null && map.hasKeys() ? map.getKeys() : FieldRules.getDefaultInstance();
        FieldRules values = map != null && map.hasValues() ? map.getValues() : FieldRules.getDefaultInstance();
        for (int i = 0; i < count; i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            Object key = entry.getField(keyField);
            String at = path + "[" + key + "]";
            checkScalar(key, keyField, keys, at + "<key>", out);
            checkValue(entry.getField(valueField), valueField, values, at, out);
        }
    }

    private void checkAnyPayload(Message any, String path, List<Violation> out) {
        Descriptor anyType = any.getDescriptorForType();
        String url = (String) any.getField(anyType.findFieldByName("type_url"));
        ByteString bytes = (ByteString) any.getField(anyType.findFieldByName("value"));
        Descriptor payload = url.isEmpty() ? null : anyResolver.apply(url);
        if (payload == null) {
            if (unknownAnyIsViolation && !url.isEmpty()) {
                out.add(new Violation("", path, "a type known to the type registry (" + url + " is not)"));
            }
            return;
        }
        try {
            checkMessage(DynamicMessage.parseFrom(payload, bytes), path + "<" + payload.getFullName() + ">", out);
        } catch (InvalidProtocolBufferException e) {
            out.add(new Violation("", path, "payload of " + url + " does not parse: " + e.getMessage()));
        }
    }

    private void checkString(String value, Validate.StringRules rules, String path, List<Violation> out) {
        if (rules.getIgnoreEmpty() && value.isEmpty()) {
            return;
        }
        long chars = value.codePointCount(0, value.length());
        long bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (rules.hasConst() && !rules.getConst().equals(value)) {
            out.add(new Violation("", path, "string.const = \"" + rules.getConst() + "\""));
        }
        if (rules.hasLen() && chars != rules.getLen()) {
            out.add(new Violation("", path, "string.len = " + rules.getLen()));
        }
        if (rules.hasMinLen() && chars < rules.getMinLen()) {
            out.add(new Violation("", path, "string.min_len = " + rules.getMinLen()));
        }
        if (rules.hasMaxLen() && chars > rules.getMaxLen()) {
            out.add(new Violation("", path, "string.max_len = " + rules.getMaxLen()));
        }
        if (rules.hasLenBytes() && bytes != rules.getLenBytes()) {
            out.add(new Violation("", path, "string.len_bytes = " + rules.getLenBytes()));
        }
        if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
            out.add(new Violation("", path, "string.min_bytes = " + rules.getMinBytes()));
        }
        if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
            out.add(new Violation("", path, "string.max_bytes = " + rules.getMaxBytes()));
        }
        if (rules.hasPattern() && !pattern(rules.getPattern()).matcher(value).find()) {
            out.add(new Violation("", path, "string.pattern = \"" + rules.getPattern() + "\""));
        }
        if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
            out.add(new Violation("", path, "string.prefix = \"" + rules.getPrefix() + "\""));
        }
        if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
            out.add(new Violation("", path, "string.suffix = \"" + rules.getSuffix() + "\""));
        }
        if (rules.hasContains() && !value.contains(rules.getContains())) {
            out.add(new Violation("", path, "string.contains = \"" + rules.getContains() + "\""));
        }
        if (rules.hasNotContains() && value.contains(rules.getNotContains())) {
            out.add(new Violation("", path, "string.not_contains = \"" + rules.getNotContains() + "\""));
        }
        if (!rules.getInList().isEmpty() && !rules.getInList().contains(value)) {
            out.add(new Violation("", path, "string.in " + rules.getInList()));
        }
        if (rules.getNotInList().contains(value)) {
            out.add(new Violation("", path, "string.not_in " + rules.getNotInList()));
        }
        switch (rules.getWellKnownCase()) {
            case HOSTNAME -> {
                if (rules.getHostname() && !HOSTNAME.matcher(value).matches()) {
                    out.add(new Violation("", path, "string.hostname"));
                }
            }
            case IP -> {
                if (rules.getIp() && !isIp(value)) {
                    out.add(new Violation("", path, "string.ip"));
                }
            }
            case IPV4 -> {
                if (rules.getIpv4() && !IPV4.matcher(value).matches()) {
                    out.add(new Violation("", path, "string.ipv4"));
                }
            }
            case IPV6 -> {
                if (rules.getIpv6() && !isIpv6(value)) {
                    out.add(new Violation("", path, "string.ipv6"));
                }
            }
            case ADDRESS -> {
                if (rules.getAddress() && !isIp(value) && !HOSTNAME.matcher(value).matches()) {
                    out.add(new Violation("", path, "string.address"));
                }
            }
            case WELL_KNOWN_REGEX -> {
                Pattern regex = switch (rules.getWellKnownRegex()) {
                    case HTTP_HEADER_NAME -> rules.getStrict() ? HEADER_NAME : LOOSE_HEADER;
                    case HTTP_HEADER_VALUE -> rules.getStrict() ? HEADER_VALUE : LOOSE_HEADER;
                    default -> null;
                };
                if (regex != null && !regex.matcher(value).matches()) {
                    out.add(new Violation("", path, "string.well_known_regex = " + rules.getWellKnownRegex()));
                }
            }
            default -> {
                // email, uri, uri_ref, uuid: not produced by meshpilot, not checked
            }
        }
    }

    private static void checkBytes(ByteString value, Validate.BytesRules rules, String path, List<Violation> out) {
        if (rules.getIgnoreEmpty() && value.isEmpty()) {
            return;
        }
        if (rules.hasLen() && value.size() != rules.getLen()) {
            out.add(new Violation("", path, "bytes.len = " + rules.getLen()));
        }
        if (rules.hasMinLen() && value.size() < rules.getMinLen()) {
            out.add(new Violation("", path, "bytes.min_len = " + rules.getMinLen()));
        }
        if (rules.hasMaxLen() && value.size() > rules.getMaxLen()) {
            out.add(new Violation("", path, "bytes.max_len = " + rules.getMaxLen()));
        }
    }

    private static void checkEnum(EnumValueDescriptor value, Validate.EnumRules rules, String path, List<Violation> out) {
        int number = value.getNumber();
        if (rules.hasConst() && number != rules.getConst()) {
            out.add(new Violation("", path, "enum.const = " + rules.getConst()));
        }
        if (rules.getDefinedOnly() && value.getType().findValueByNumber(number) == null) {
            out.add(new Violation("", path, "enum.defined_only (" + number + " is not a value of "
                    + value.getType().getFullName() + ")"));
        }
        if (!rules.getInList().isEmpty() && !rules.getInList().contains(number)) {
            out.add(new Violation("", path, "enum.in " + rules.getInList()));
        }
        if (rules.getNotInList().contains(number)) {
            out.add(new Violation("", path, "enum.not_in " + rules.getNotInList()));
        }
    }

    /** const/lt/lte/gt/gte/in/not_in of any numeric rule message, compared exactly as decimals. */
    private static void checkNumber(Object value, Message rules, boolean unsigned, String kind, String path,
                                    List<Violation> out) {
        Descriptor type = rules.getDescriptorForType();
        BigDecimal v = decimal(value, unsigned);
        FieldDescriptor ignoreEmpty = type.findFieldByName("ignore_empty");
        if (ignoreEmpty != null && (Boolean) rules.getField(ignoreEmpty) && v.signum() == 0) {
            return;
        }
        BigDecimal constant = bound(rules, "const", unsigned);
        BigDecimal lt = bound(rules, "lt", unsigned);
        BigDecimal lte = bound(rules, "lte", unsigned);
        BigDecimal gt = bound(rules, "gt", unsigned);
        BigDecimal gte = bound(rules, "gte", unsigned);
        if (constant != null && v.compareTo(constant) != 0) {
            out.add(new Violation("", path, kind + ".const = " + constant));
        }
        BigDecimal upper = lt != null ? lt : lte;
        BigDecimal lower = gt != null ? gt : gte;
        boolean belowUpper = upper == null || (lt != null ? v.compareTo(lt) < 0 : v.compareTo(lte) <= 0);
        boolean aboveLower = lower == null || (gt != null ? v.compareTo(gt) > 0 : v.compareTo(gte) >= 0);
        boolean ok;
        if (upper != null && lower != null && upper.compareTo(lower) < 0) {
            ok = belowUpper || aboveLower; // PGV: an upper bound below the lower bound means "outside the range"
        } else {
            ok = belowUpper && aboveLower;
        }
        if (!ok) {
            StringBuilder rule = new StringBuilder(kind);
            if (gt != null) {
                rule.append(".gt = ").append(gt);
            } else if (gte != null) {
                rule.append(".gte = ").append(gte);
            }
            if (lt != null) {
                rule.append(lower != null ? ", lt = " : ".lt = ").append(lt);
            } else if (lte != null) {
                rule.append(lower != null ? ", lte = " : ".lte = ").append(lte);
            }
            out.add(new Violation("", path, rule + " (value " + v + ")"));
        }
        FieldDescriptor in = type.findFieldByName("in");
        FieldDescriptor notIn = type.findFieldByName("not_in");
        if (in != null && rules.getRepeatedFieldCount(in) > 0 && !containsNumber(rules, in, v, unsigned)) {
            out.add(new Violation("", path, kind + ".in"));
        }
        if (notIn != null && containsNumber(rules, notIn, v, unsigned)) {
            out.add(new Violation("", path, kind + ".not_in"));
        }
    }

    private static boolean containsNumber(Message rules, FieldDescriptor list, BigDecimal v, boolean unsigned) {
        for (int i = 0; i < rules.getRepeatedFieldCount(list); i++) {
            if (decimal(rules.getRepeatedField(list, i), unsigned).compareTo(v) == 0) {
                return true;
            }
        }
        return false;
    }

    private static BigDecimal bound(Message rules, String name, boolean unsigned) {
        FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
        return field != null && rules.hasField(field) ? decimal(rules.getField(field), unsigned) : null;
    }

    private static BigDecimal decimal(Object value, boolean unsigned) {
        if (value instanceof Integer i) {
            return unsigned ? BigDecimal.valueOf(Integer.toUnsignedLong(i)) : BigDecimal.valueOf(i);
        }
        if (value instanceof Long l) {
            return unsigned ? new BigDecimal(Long.toUnsignedString(l)) : BigDecimal.valueOf(l);
        }
        if (value instanceof Float f) {
            return new BigDecimal(Float.toString(f));
        }
        if (value instanceof Double d) {
            return new BigDecimal(Double.toString(d));
        }
        throw new IllegalArgumentException("not a number: " + value);
    }

    private static void checkDuration(Duration value, Validate.DurationRules rules, String path, List<Violation> out) {
        if (rules.hasConst() && Durations.compare(value, rules.getConst()) != 0) {
            out.add(new Violation("", path, "duration.const = " + Durations.toString(rules.getConst())));
        }
        if (rules.hasLt() && Durations.compare(value, rules.getLt()) >= 0) {
            out.add(new Violation("", path, "duration.lt = " + Durations.toString(rules.getLt())));
        }
        if (rules.hasLte() && Durations.compare(value, rules.getLte()) > 0) {
            out.add(new Violation("", path, "duration.lte = " + Durations.toString(rules.getLte())));
        }
        if (rules.hasGt() && Durations.compare(value, rules.getGt()) <= 0) {
            out.add(new Violation("", path, "duration.gt = " + Durations.toString(rules.getGt())));
        }
        if (rules.hasGte() && Durations.compare(value, rules.getGte()) < 0) {
            out.add(new Violation("", path, "duration.gte = " + Durations.toString(rules.getGte())));
        }
    }

    private static Message toDuration(Message m) {
        if (m instanceof Duration d) {
            return d;
        }
        Descriptor type = m.getDescriptorForType();
        return Duration.newBuilder()
                .setSeconds((Long) m.getField(type.findFieldByName("seconds")))
                .setNanos((Integer) m.getField(type.findFieldByName("nanos")))
                .build();
    }

    private static boolean isWrapper(String fullName) {
        return switch (fullName) {
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
                 "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
                 "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> true;
            default -> false;
        };
    }

    private static boolean isIp(String value) {
        return IPV4.matcher(value).matches() || isIpv6(value);
    }

    private static boolean isIpv6(String value) {
        if (!value.contains(":") || !value.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address
                    || value.contains("::ffff:");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, r -> Pattern.compile(r));
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
