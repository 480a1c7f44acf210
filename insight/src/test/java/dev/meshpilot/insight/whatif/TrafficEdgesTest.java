package dev.meshpilot.insight.whatif;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficEdgesTest {

    private static final String HEADER = "source_workload,source_namespace,destination_host,destination_port,evidence";

    private static List<TrafficEdge> parse(String... lines) {
        return TrafficEdges.parse("edges.csv", List.of(lines));
    }

    @Test
    void plainLine_isOneEdgeWithItsLineNumber() {
        List<TrafficEdge> edges = parse(HEADER, "frontend,shop,cart.shop.svc.cluster.local,7070,src/main.go CART_ADDR");

        assertThat(edges).containsExactly(new TrafficEdge("frontend", "shop", "cart.shop.svc.cluster.local", 7070,
                "src/main.go CART_ADDR", 2));
        assertThat(edges.get(0).target()).isEqualTo("cart.shop.svc.cluster.local:7070");
    }

    @Test
    void quotedEvidence_mayHoldCommasAndQuotes() {
        List<TrafficEdge> edges = parse(HEADER, "cart,rs,redis.rs.svc.cluster.local,6379,\"a, b \"\"c\"\"\"");

        assertThat(edges.get(0).evidence()).isEqualTo("a, b \"c\"");
    }

    @Test
    void missingEvidence_isEmpty() {
        assertThat(parse(HEADER, "a,ns,b.ns.svc.cluster.local,80").get(0).evidence()).isEmpty();
    }

    @Test
    void blankLines_areSkipped() {
        assertThat(parse(HEADER, "", "a,ns,b.ns.svc.cluster.local,80,x", "  ")).hasSize(1);
    }

    @Test
    void wrongHeader_isRejectedWithItsLine() {
        assertThatThrownBy(() -> parse("from,to,port")).isInstanceOf(TrafficFileException.class)
                .hasMessageStartingWith("edges.csv:1: expected the header");
    }

    @Test
    void nonNumericPort_isRejectedNamingFileLineAndField() {
        assertThatThrownBy(() -> parse(HEADER, "a,ns,b.ns.svc.cluster.local,http,x"))
                .isInstanceOf(TrafficFileException.class)
                .hasMessage("edges.csv:2: field destination_port is not a number: 'http'");
    }

    @Test
    void portOutOfRange_isRejected() {
        assertThatThrownBy(() -> parse(HEADER, "a,ns,b.ns.svc.cluster.local,70000,x"))
                .hasMessageContaining("edges.csv:2: field destination_port out of range");
    }

    @Test
    void emptySource_isRejectedNamingTheField() {
        assertThatThrownBy(() -> parse(HEADER, ",ns,b.ns.svc.cluster.local,80,x"))
                .hasMessage("edges.csv:2: field source_workload is empty");
    }

    @Test
    void tooFewFields_isRejected() {
        assertThatThrownBy(() -> parse(HEADER, "a,ns,b")).hasMessageContaining("edges.csv:2: expected at least 4 fields");
    }

    @Test
    void unterminatedQuote_isRejected() {
        assertThatThrownBy(() -> parse(HEADER, "a,ns,b.ns.svc.cluster.local,80,\"oops"))
                .hasMessage("edges.csv:2: unterminated quoted field");
    }

    @Test
    void emptyFile_isRejected() {
        assertThatThrownBy(() -> parse()).hasMessageContaining("empty traffic file");
    }

    @Test
    void missingFile_isOneMessageNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> TrafficEdges.read(dir.resolve("nope.csv"))).isInstanceOf(TrafficFileException.class)
                .hasMessageContaining("nope.csv: cannot read traffic edges");
    }

    @Test
    void realTopologyFiles_parse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("edges.csv");
        Files.writeString(file, HEADER + "\nweb,emojivoto,emoji-svc.emojivoto.svc.cluster.local,8080,web/main.go\n");

        assertThat(TrafficEdges.read(file)).hasSize(1);
    }
}
