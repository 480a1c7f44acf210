package dev.meshpilot.core.scope;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** R4 host matching: covered-by is one-directional, overlaps is symmetric, both byte-wise. */
class HostNameTest {

    @ParameterizedTest(name = "R4 {0}: ''{1}'' covered by ''{2}'' = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "empty                                   |\"\"            |\"\"          |true",
            "first empty                             |\"\"            |foo.com       |false",
            "second empty                            |foo.com         |\"\"          |false",
            "equal exact names                       |foo.com         |foo.com       |true",
            "different exact names                   |bar.com         |foo.com       |false",
            "subdomain is not the domain             |bar.foo.com     |foo.com       |false",
            "domain is not the subdomain             |foo.com         |bar.foo.com   |false",
            "wildcard covers one label               |foo.com         |*.com         |true",
            "wildcard covers deeper labels           |a.b.foo.com     |*.foo.com     |true",
            "wildcard does not cover the apex        |foo.com         |*.foo.com     |false",
            "star covers exact                       |foo.com         |*             |true",
            "star covers wildcard                    |*.com           |*             |true",
            "star covers star                        |*               |*             |true",
            "star covers empty                       |\"\"            |*             |true",
            "wildcard subdomain covered by wildcard  |*.foo.com       |*.com         |true",
            "wildcard domain not covered by subdomain|*.com           |*.foo.com     |false",
            "star not covered by a wildcard          |*               |*.com         |false",
            "wildcard host never covered by exact    |*.foo.com       |foo.com       |false",
            "wildcard host never covered by its apex |*.foo.com       |a.foo.com     |false",
            "long wildcard vs short host             |*.foo.bar.baz   |baz           |false",
            "long name, short wildcard               |foo.bar.baz     |*.baz         |true",
            "case-sensitive                          |a.facebook.com  |*.facebook.COM|false",
    })
    void coveredBy_followsIstioSubsetOf(String name, String host, String pattern, boolean expected) {
        assertThat(HostName.coveredBy(host, pattern)).isEqualTo(expected);
        assertThat(HostName.of(host).coveredBy(HostName.of(pattern))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "R4 {0}: ''{1}'' overlaps ''{2}'' = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "empty                                  |\"\"           |\"\"         |true",
            "mixed case                             |a.facebook.com |*.facebook.COM|false",
            "first empty                            |\"\"           |foo.com      |false",
            "equal exact names                      |foo.com        |foo.com      |true",
            "star matches anything                  |*              |foo.com      |true",
            "star matches a wildcard                |*              |*.com        |true",
            "wildcard domain and wildcard subdomain |*.com          |*.foo.com    |true",
            "wildcard subdomain and domain          |foo.com        |*.foo.com    |false",
            "long wildcard and short host           |*.foo.bar.baz  |baz          |false",
            "long wildcard and short wildcard       |*.foo.bar.baz  |*.baz        |true",
            "long name and short wildcard           |foo.bar.baz    |*.baz        |true",
    })
    void overlaps_followsIstioMatches_inBothDirections(String name, String a, String b, boolean expected) {
        assertThat(HostName.overlaps(a, b)).isEqualTo(expected);
        assertThat(HostName.overlaps(b, a)).isEqualTo(expected);
    }

    @Test
    void wildcardedMeansLeadingStar() {
        assertThat(HostName.of("*.foo.com").isWildcarded()).isTrue();
        assertThat(HostName.of("*").isWildcarded()).isTrue();
        assertThat(HostName.of("foo.*.com").isWildcarded()).isFalse();
        assertThat(HostName.of("").isWildcarded()).isFalse();
    }

    @Test
    void coveredBy_isOneDirectional() {
        assertThat(HostName.coveredBy("a.foo.com", "*.foo.com")).isTrue();
        assertThat(HostName.coveredBy("*.foo.com", "a.foo.com")).isFalse();
    }

    @Test
    void moreSpecific_prefersTheLongerWildcard() {
        assertThat(HostName.moreSpecific("*.foo.com", "*.com")).isTrue();
        assertThat(HostName.moreSpecific("*", "*.com")).isFalse();
    }
}
