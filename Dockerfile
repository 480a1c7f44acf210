# meshpilot container image: the CLI jar on a Java 17 JRE, running as a non-root user.
# Not built or tested here (these machines have no container engine); see docs/kubernetes.md.
#
#   docker build -t REGISTRY/meshpilot:0.1.0 .
#   docker push REGISTRY/meshpilot:0.1.0     # then set that image in deploy/40-deployment.yaml

# --- build: the shaded CLI jar (cli/target/meshpilot.jar), tests skipped (CI runs them)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl cli -am package

# --- run: JRE only
FROM eclipse-temurin:17-jre
COPY --from=build /src/cli/target/meshpilot.jar /opt/meshpilot/meshpilot.jar
# Heap 60 % of the container's memory limit and Netty's direct buffers capped at 256 MiB, so heap + direct +
# metaspace + stacks stay under the limit (2 GiB in deploy/). A heap/metaspace OutOfMemoryError exits the JVM so that
# Kubernetes restarts it; a failed direct-buffer allocation fails only its connection (docs/security.md).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError"
# 15012: xDS (gRPC over TLS, authenticated); 15010: xDS plaintext (loopback unless --xds-address says otherwise);
# 15014: /ready, /debug/*, /metrics
EXPOSE 15010 15012 15014
# Numeric user: no passwd entry needed, works with runAsNonRoot and a read-only root filesystem (/tmp is a volume).
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/opt/meshpilot/meshpilot.jar"]
# Debug port on loopback unless a token is given (deploy/40-deployment.yaml passes --debug-token-file).
CMD ["serve", "--kube"]
