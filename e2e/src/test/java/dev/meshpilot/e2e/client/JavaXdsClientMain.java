package dev.meshpilot.e2e.client;

import com.google.protobuf.Empty;
import dev.meshpilot.e2e.harness.WhoAmI;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Proxyless grpc-java client for the end-to-end tests, run as its own process:
 * {@code GRPC_XDS_BOOTSTRAP=bootstrap.json java -cp ... JavaXdsClientMain xds:///FQDN:PORT}.
 * One channel lives for the whole process; each {@code call} line on stdin makes one WhoAmI call and prints
 * {@code OK <backend>} or {@code ERR <CODE> <description>}. {@code call xds:///OTHER:PORT} calls another target
 * through a channel of its own, created on its first call and kept (all channels share the process's xDS client
 * configuration). Prints {@code READY} first; {@code quit} ends it.
 */
public final class JavaXdsClientMain {

    private static final long CALL_DEADLINE_MS = 5000;

    private JavaXdsClientMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: JavaXdsClientMain xds:///FQDN:PORT");
            System.exit(2);
        }
        Map<String, ManagedChannel> channels = new HashMap<>();
        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
        channels.put(args[0], channel);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.equals("quit")) {
                break;
            }
            String answer;
            if (command.equals("call")) {
                answer = callOnce(channel);
            } else if (command.startsWith("call xds:///")) {
                String target = command.substring("call ".length()).trim();
                answer = callOnce(channels.computeIfAbsent(target,
                        t -> Grpc.newChannelBuilder(t, InsecureChannelCredentials.create()).build()));
            } else {
                answer = "ERR UNKNOWN_COMMAND " + command;
            }
            System.out.println(answer);
            System.out.flush();
        }
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static String callOnce(ManagedChannel channel) {
        try {
            String backend = ClientCalls.blockingUnaryCall(channel, WhoAmI.WHO,
                    CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS),
                    Empty.getDefaultInstance()).getValue();
            return "OK " + backend;
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription();
            return "ERR " + e.getStatus().getCode() + " " + (description == null ? "" : description.replaceAll("\\s+", " "));
        }
    }
}
