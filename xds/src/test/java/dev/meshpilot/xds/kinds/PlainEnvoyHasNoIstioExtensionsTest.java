package dev.meshpilot.xds.kinds;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.json.XdsTypeRegistry;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import dev.meshpilot.xds.validate.XdsValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain Envoy (no istio-agent, no Istio extensions) is never sent anything it would NACK: walking every
 * {@code Any} of every resource of every bookinfo and online-boutique workload (and one of the shared cluster) finds only upstream Envoy types (each resolvable, none a
 * {@code TypedStruct}), no filter named {@code istio.*} and no Istio endpoint metadata. The same walk over an
 * istio-proxy's resources does find Istio's extensions, so the walk can see them.
 */
class PlainEnvoyHasNoIstioExtensionsTest {

    @Test
    void everyExampleWorkload_plainEnvoyResources_holdNoIstioExtension() {
        int walked = 0;
        for (String example : List.of("bookinfo", "online-boutique")) {
            for (WorkloadInstance pod : ExampleMeshes.snapshot(example).workloads()) {
                if (!pod.name().endsWith("-0")) {
                    continue; // replicas share their scope and inbound shape
                }
                ProxyResources resources = ExampleMeshes.generate(example,
                        ExampleMeshes.proxy(example, pod.name(), pod.namespace(), ProxyKind.ENVOY));
                assertThat(istioExtensions(resources)).as("%s %s", example, pod.proxyId()).isEmpty();
                assertThat(XdsValidator.validate(resources)).as("%s %s", example, pod.proxyId()).isEmpty();
                walked++;
            }
        }
        assertThat(walked).isGreaterThan(10);
    }

    @Test
    void sharedClusterWorkload_plainEnvoyResources_holdNoIstioExtension() {
        ProxyResources resources = ExampleMeshes.generate("shared-cluster",
                ExampleMeshes.proxy("shared-cluster", "productpage-v1-0", "bookinfo", ProxyKind.ENVOY));
        assertThat(istioExtensions(resources)).isEmpty();
    }

    @Test
    void istioProxyResources_holdIstioExtensions_soTheWalkSeesThem() {
        ProxyResources sidecar = ExampleMeshes.generate("bookinfo",
                ExampleMeshes.proxy("bookinfo", "productpage-v1-0", "default", ProxyKind.SIDECAR));
        assertThat(istioExtensions(sidecar)).anyMatch(s -> s.contains("filter istio.stats"))
                .anyMatch(s -> s.contains("filter istio.metadata_exchange"))
                .anyMatch(s -> s.contains("filter istio.alpn"))
                .anyMatch(s -> s.contains("TypedStruct"))
                .anyMatch(s -> s.contains("endpoint metadata istio"));
        assertThat(XdsValidator.validate(sidecar)).isEmpty();
    }

    /** Every Istio extension in the resources, as "RESOURCE: what". */
    private static List<String> istioExtensions(ProxyResources resources) {
        List<String> found = new ArrayList<>();
        for (var set : List.of(resources.clusters(), resources.endpoints(), resources.listeners(), resources.routes())) {
            for (XdsResource resource : set.resources()) {
                walk(resource.proto(), resource.name(), found);
            }
        }
        return found;
    }

    private static void walk(Message message, String where, List<String> found) {
        Descriptors.Descriptor type = message.getDescriptorForType();
        if (type.getFullName().equals(Any.getDescriptor().getFullName())) {
            walkAny(message, where, found);
            return;
        }
        if (type.getFullName().equals("envoy.config.core.v3.Metadata")) {
            checkMetadata(message, where, found);
        }
        for (Map.Entry<Descriptors.FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            Descriptors.FieldDescriptor descriptor = field.getKey();
            if (descriptor.getName().equals("name") && descriptor.getType() == Descriptors.FieldDescriptor.Type.STRING
                    && type.getName().endsWith("Filter") && ((String) field.getValue()).startsWith("istio.")) {
                found.add(where + ": filter " + field.getValue());
            }
            if (descriptor.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (descriptor.isRepeated()) {
                for (Object item : (List<?>) field.getValue()) {
                    walk((Message) item, where, found);
                }
            } else {
                walk((Message) field.getValue(), where, found);
            }
        }
    }

    private static void walkAny(Message message, String where, List<String> found) {
        Any any = message instanceof Any a ? a : toAny(message);
        Descriptors.Descriptor packed = XdsTypeRegistry.find(any.getTypeUrl());
        if (packed == null) {
            found.add(where + ": unknown type " + any.getTypeUrl());
            return;
        }
        if (packed.getFullName().equals(TypedStruct.getDescriptor().getFullName())
                || packed.getFullName().equals(com.github.xds.type.v3.TypedStruct.getDescriptor().getFullName())) {
            found.add(where + ": TypedStruct " + typedStructType(any));
            return;
        }
        if (packed.getFullName().contains("istio")) {
            found.add(where + ": Istio type " + packed.getFullName());
        }
        try {
            walk(DynamicMessage.parseFrom(packed, any.getValue()), where, found);
        } catch (InvalidProtocolBufferException e) {
            found.add(where + ": unreadable " + any.getTypeUrl());
        }
    }

    private static void checkMetadata(Message metadata, String where, List<String> found) {
        for (Map.Entry<Descriptors.FieldDescriptor, Object> field : metadata.getAllFields().entrySet()) {
            if (!field.getKey().getName().equals("filter_metadata")) {
                continue;
            }
            for (Object entry : (List<?>) field.getValue()) {
                Message e = (Message) entry;
                String key = (String) e.getField(e.getDescriptorForType().findFieldByName("key"));
                Message value = (Message) e.getField(e.getDescriptorForType().findFieldByName("value"));
                String text = value.toString();
                if (key.equals("istio") && text.contains("workload")) {
                    found.add(where + ": endpoint metadata istio.workload");
                }
            }
        }
    }

    private static String typedStructType(Any any) {
        try {
            return any.unpack(TypedStruct.class).getTypeUrl();
        } catch (InvalidProtocolBufferException e) {
            return any.getTypeUrl();
        }
    }

    private static Any toAny(Message message) {
        try {
            return Any.parseFrom(message.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
