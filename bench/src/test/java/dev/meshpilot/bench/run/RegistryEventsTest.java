package dev.meshpilot.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryEventsTest {

    private static final String SIDECARS = """
            kind: Sidecar
            metadata:
              name: quiet
            spec:
              egress:
              - hosts:
                - "~/*"
            ---
            kind: Sidecar
            metadata:
              name: caller
            spec:
              egress:
              - hosts:
                - shop-g1/db.shop-g1.svc.cluster.local
            """;

    @Test
    void extraHost_goesToTheFirstSidecarThatImportsSomething() {
        String changed = RegistryEvents.withExtraHost(SIDECARS, "other-g1/*");

        String[] docs = changed.split("---\n");
        assertThat(docs[0]).doesNotContain("other-g1");
        assertThat(docs[1]).contains("  - hosts:\n    - \"other-g1/*\"\n    - shop-g1/db.shop-g1.svc.cluster.local");
    }

    @Test
    void fileWhereEverySidecarImportsNothing_isLeftAlone() {
        String quiet = SIDECARS.substring(0, SIDECARS.indexOf("---"));

        assertThat(RegistryEvents.withExtraHost(quiet, "x/*")).isEqualTo(quiet);
    }
}
