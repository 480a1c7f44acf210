package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    @Test
    void domains_skipPortForms_dropLongFormsWhenShortFormPresent_andAbbreviateAfterTwo() {
        String described = RouteTable.describeDomains(List.of("reviews.default.svc.cluster.local",
                "reviews.default.svc.cluster.local:9080", "reviews", "reviews:9080", "reviews.default.svc",
                "reviews.default", "10.0.0.7", "10.0.0.7:9080"));
        assertThat(described).isEqualTo("reviews, reviews.default + 1 more...");
    }

    @Test
    void singleDomainIsPrintedAsIs() {
        assertThat(RouteTable.describeDomains(List.of("*"))).isEqualTo("*");
    }

    @Test
    void matchForms() {
        assertThat(RouteTable.describeMatch(RouteMatch.newBuilder().setPrefix("/").build())).isEqualTo("/*");
        assertThat(RouteTable.describeMatch(RouteMatch.newBuilder().setPath("/login").build())).isEqualTo("/login");
        assertThat(RouteTable.describeMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/api").build()))
                .isEqualTo("PathPrefix:/api");
    }
}
