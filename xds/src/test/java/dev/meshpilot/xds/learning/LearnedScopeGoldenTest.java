package dev.meshpilot.xds.learning;

import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.golden.GoldenFiles;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

/**
 * The generated xDS of a learned scope with fallbacks and learning access logs, under
 * {@code golden/learning/EXAMPLE/POD.NS/POLICY/TYPE.json}. Rewrite with {@code -Dmeshpilot.golden.update=true}.
 */
class LearnedScopeGoldenTest {

    @Test
    void registryOnlyLearnedScope_withAccessLogs_matchesGoldenFiles() {
        assertGolden(CheckoutLearned.generate(true, GeneratorOptions.learning()), "registry-only");
    }

    @Test
    void allowAnyLearnedScope_withAccessLogs_matchesGoldenFiles() {
        assertGolden(CheckoutLearned.generate(false, GeneratorOptions.learning()), "allow-any");
    }

    private static void assertGolden(ProxyResources resources, String policy) {
        String dir = "learning/" + CheckoutLearned.EXAMPLE + "/" + CheckoutLearned.POD + "." + CheckoutLearned.NAMESPACE
                + "/" + policy + "/";
        for (XdsType type : XdsType.values()) {
            GoldenFiles.assertMatches(dir + type.plural() + ".json", XdsJson.printArray(resources.get(type)));
        }
    }
}
