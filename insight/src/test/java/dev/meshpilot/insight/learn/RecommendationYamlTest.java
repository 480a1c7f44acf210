package dev.meshpilot.insight.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.meshpilot.core.scope.LearningSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.meshpilot.insight.learn.ShopMesh.CART;
import static dev.meshpilot.insight.learn.ShopMesh.NOW;
import static dev.meshpilot.insight.learn.ShopMesh.shop;
import static org.assertj.core.api.Assertions.assertThat;

class RecommendationYamlTest {

    @TempDir
    Path dir;

    private Recommendation recommendation() {
        ShopMesh mesh = shop().calls("worker", CART, 80);
        return new Recommender(LearningSettings.defaults(), Set.of("istio-system"))
                .recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);
    }

    @Test
    void eachHost_isFollowedByItsEvidence() {
        String yaml = RecommendationYaml.render(recommendation(), List.of("evidence: test"));

        assertThat(yaml).contains("    - \"shop/" + CART + "\"  # learned: access-log; 1,234 calls; last seen 2026-11-30\n");
        assertThat(yaml).contains("    - \"~/*\"  # calls nothing: imports no service\n");
        assertThat(yaml).startsWith("# evidence: test\n");
    }

    @Test
    void yamlDocuments_equalTheManifestTrees() throws IOException {
        Recommendation r = recommendation();
        ObjectMapper yamlMapper = new ObjectMapper(new YAMLFactory());

        List<JsonNode> documents;
        try (MappingIterator<JsonNode> it = yamlMapper.readerFor(JsonNode.class)
                .readValues(RecommendationYaml.render(r, List.of()))) {
            documents = it.readAll().stream().filter(n -> !n.isMissingNode() && !n.isNull()).toList();
        }

        assertThat(documents).isEqualTo(List.copyOf(SidecarManifests.manifests(r)));
        assertThat(documents).allSatisfy(d -> {
            assertThat(d.get("apiVersion").asText()).isEqualTo("networking.istio.io/v1");
            assertThat(d.get("kind").asText()).isEqualTo("Sidecar");
        });
    }

    @Test
    void brokenCalls_leadTheFile() {
        Recommendation r = recommendation();
        Recommendation broken = new Recommendation(r.granularity(), r.sidecars(), r.scopes(), r.skipped(),
                List.of(new Recommendation.BrokenCall(r.scopes().get(0).workload(),
                        r.scopes().stream().filter(s -> s.workload().name().equals("worker")).findFirst()
                                .orElseThrow().verdicts().get(0).evidence().get(0), "meshpilot-worker")),
                r.notes());

        assertThat(RecommendationYaml.render(broken, List.of())).startsWith(
                "# WARNING: this proposal would break 1 recently observed calls:\n");
    }
}
