package dev.meshpilot.core.scope;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostPinsTest {

    @Test
    void commasAndWhitespaceSeparatePins_andDotIsTheWorkloadNamespace() {
        HostPins pins = HostPins.parse("Deployment shop/cart", " ./reviews.shop.svc.cluster.local,\n istio-system/*  ",
                "shop");

        assertThat(pins.entries()).extracting(HostEntry::namespace, HostEntry::dnsName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop", "reviews.shop.svc.cluster.local"),
                        org.assertj.core.groups.Tuple.tuple("istio-system", "*"));
        assertThat(pins.problems()).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' {1}")
    @CsvSource(delimiter = '|', value = {
            "reviews            | is not of the form namespace/host",
            "a/b/c              | is not of the form namespace/host",
            "~/*                | is an exclusion; pins can only add hosts",
            "/reviews           | has an empty namespace or host",
            "shop/              | has an empty namespace or host",
            "shop/re*views      | has a wildcard other than a leading '*' or '*.'",
            "shop/*views        | has a wildcard other than a leading '*' or '*.'",
    })
    void malformedPin_isLocatedAndLeftOut(String raw, String problem) {
        HostPins pins = HostPins.parse("Namespace shop", raw + ", shop/ok.shop.svc.cluster.local", "shop");

        assertThat(pins.entries()).extracting(HostEntry::raw).containsExactly("shop/ok.shop.svc.cluster.local");
        assertThat(pins.problems()).containsExactly("Namespace shop: annotation meshpilot.dev/pin-hosts: pin '" + raw
                + "' " + problem + "; it is ignored");
    }
}
