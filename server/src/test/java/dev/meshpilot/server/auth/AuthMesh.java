package dev.meshpilot.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The bundled bookinfo mesh (namespace {@code default}, pods such as {@code productpage-v1-0} running as
 * {@code bookinfo-productpage}) plus what makes declared labels matter: a namespace {@code other} with a
 * service {@code secret}, a mesh-wide Sidecar that shows each proxy only its own namespace, and a Sidecar in
 * {@code default} selecting {@code app=admin-tool} that imports every namespace.
 */
final class AuthMesh {
    static final String SECRET_CLUSTER = "outbound|8443||secret.other.svc.cluster.local";
    static final String DETAILS_CLUSTER = "outbound|9080||details.default.svc.cluster.local";

    private AuthMesh() {
    }

    static void write(Path dir) throws IOException {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("auth-mesh.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: other
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: secret
                  namespace: other
                spec:
                  selector:
                    app: secret
                  ports:
                  - name: https
                    port: 8443
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: istio-system
                spec:
                  egress:
                  - hosts:
                    - "./*"
                    - "istio-system/*"
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: admin-tool
                  namespace: default
                spec:
                  workloadSelector:
                    labels:
                      app: admin-tool
                  egress:
                  - hosts:
                    - "*/*"
                """);
    }
}
