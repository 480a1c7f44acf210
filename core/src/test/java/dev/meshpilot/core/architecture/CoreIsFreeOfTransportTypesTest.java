package dev.meshpilot.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core module must stay free of protobuf, gRPC and Kubernetes client types (design.md, module table). */
class CoreIsFreeOfTransportTypesTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.meshpilot.core");

    @Test
    void coreClassesWereImported() {
        // Guards the rules below against passing vacuously on an empty import.
        org.assertj.core.api.Assertions.assertThat(core).isNotEmpty();
    }

    @Test
    void core_doesNotUseProtobuf() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.google.protobuf..", "io.envoyproxy..")
                .check(core);
    }

    @Test
    void core_doesNotUseGrpc() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.grpc..").check(core);
    }

    @Test
    void core_doesNotUseKubernetesClientOrYaml() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..", "com.fasterxml.jackson..", "org.yaml..").check(core);
    }

    @Test
    void core_doesNotDependOnOuterModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.meshpilot.kube..", "dev.meshpilot.xds..",
                "dev.meshpilot.server..", "dev.meshpilot.insight..", "dev.meshpilot.cli..").check(core);
    }
}
