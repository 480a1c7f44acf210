package dev.meshpilot.xds.learning;

import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;
import dev.meshpilot.xds.validate.Violation;
import dev.meshpilot.xds.validate.XdsValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fallback chains, the fallback virtual host and the access loggers pass Envoy's validate.rules. */
class LearnedScopeValidationTest {

    @ParameterizedTest(name = "registryOnly={0}")
    @ValueSource(booleans = {true, false})
    void learnedScopeWithAccessLogs_passesValidateRules(boolean registryOnly) {
        ProxyResources resources = CheckoutLearned.generate(registryOnly, GeneratorOptions.learning());
        List<Violation> violations = new ArrayList<>(XdsValidator.validateSemantics(resources));
        int checked = 0;
        for (ResourceSet set : resources.sets().values()) {
            for (XdsResource resource : set.resources()) {
                violations.addAll(XdsValidator.validate(resource));
                checked++;
            }
        }
        assertThat(checked).isPositive();
        assertThat(violations).isEmpty();
    }
}
