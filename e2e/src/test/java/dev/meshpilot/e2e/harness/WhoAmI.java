package dev.meshpilot.e2e.harness;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The tiny service each backend serves: {@code meshpilot.e2e.WhoAmI/Who} answers with the backend's name, so a
 * client can tell which endpoint took its call. Built from well-known message types, so it needs no code
 * generation; the Node client's {@code whoami.proto} declares the same wire format.
 */
public final class WhoAmI {

    public static final String SERVICE = "meshpilot.e2e.WhoAmI";

    public static final MethodDescriptor<Empty, StringValue> WHO = MethodDescriptor.<Empty, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Who"))
            .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .build();

    private WhoAmI() {
    }
}
