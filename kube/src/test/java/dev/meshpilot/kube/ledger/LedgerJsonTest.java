package dev.meshpilot.kube.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadLedger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.meshpilot.kube.ledger.LedgerSamples.PRODUCTPAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerJsonTest {

    private static final String WHERE = "/state/ledger/bookinfo/productpage-v1.json";

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyPage_roundTripsThroughBytes_andThroughATree() {
        for (WorkloadLedger page : LedgerSamples.bookinfo().pages()) {
            assertThat(LedgerJson.fromBytes(LedgerJson.toBytes(page), WHERE)).isEqualTo(page);
            assertThat(LedgerJson.fromTree(LedgerJson.toTree(page), "o", "spec")).isEqualTo(page);
        }
    }

    @Test
    void pageWithNanosecondTimesAndManyReporters_roundTripsExactly() {
        DependencyLedger ledger = LedgerSamples.bookinfo();
        for (int i = 0; i < 20; i++) {
            ledger = ledger.merge(LedgerSamples.productpageCalls("x.example", "reporter-" + i));
        }
        ledger = ledger.plus(LedgerSamples.call(PRODUCTPAGE, "x.example", 80, "r",
                java.time.Instant.parse("2026-12-02T10:00:00.123456789Z"), 5));
        WorkloadLedger page = ledger.page(PRODUCTPAGE).orElseThrow();

        assertThat(LedgerJson.fromBytes(LedgerJson.toBytes(page), WHERE)).isEqualTo(page);
    }

    @Test
    void writtenShape_usesTheDocumentedFieldNames() {
        ObjectNode tree = LedgerJson.toTree(LedgerSamples.bookinfo().page(PRODUCTPAGE).orElseThrow());

        assertThat(tree.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(tree.get("workload").get("name").asText()).isEqualTo("productpage-v1");
        assertThat(tree.get("lastReported").get("prometheus").asText()).isEqualTo("2026-12-05T10:00:00Z");
        ObjectNode call = (ObjectNode) tree.get("calls").get(0);
        assertThat(call.fieldNames()).toIterable()
                .containsExactly("host", "port", "proto", "src", "first", "last", "counts", "days");
        assertThat(call.get("host").asText()).isEqualTo("details.bookinfo.svc.cluster.local");
        assertThat(call.get("proto").get(0).asText()).isEqualTo("http");
        assertThat(call.get("days").get(0).asLong()).isEqualTo(java.time.LocalDate.parse("2026-12-04").toEpochDay());
    }

    @Test
    void newerFormatVersion_isRefusedWithAClearMessage() {
        assertThatThrownBy(() -> LedgerJson.fromBytes(bytes("""
                {"formatVersion": 2, "workload": {"namespace": "a", "name": "b"}, "calls": []}"""), WHERE))
                .isInstanceOf(LedgerFormatException.class)
                .hasMessage(WHERE + ": formatVersion: format 2 is not one this meshpilot reads (it reads 1 to 1);"
                        + " a newer meshpilot wrote it?");
    }

    @Test
    void truncatedJson_namesLineAndColumn() {
        assertThatThrownBy(() -> LedgerJson.fromBytes(bytes("{\"formatVersion\": 1,\n \"workload\": {\"namesp"), WHERE))
                .isInstanceOf(LedgerFormatException.class)
                .hasMessageStartingWith(WHERE + ": line 2, column ");
    }

    @Test
    void textAfterTheFirstJsonValue_isAnError_notIgnored() {
        byte[] page = LedgerJson.toBytes(LedgerSamples.bookinfo().page(PRODUCTPAGE).orElseThrow());
        byte[] twice = new byte[page.length * 2];
        System.arraycopy(page, 0, twice, 0, page.length);
        System.arraycopy(page, 0, twice, page.length, page.length);

        assertThatThrownBy(() -> LedgerJson.fromBytes(twice, WHERE))
                .isInstanceOf(LedgerFormatException.class)
                .hasMessageStartingWith(WHERE + ": line 1, column " + (page.length + 1) + ": Trailing token");
    }

    @Test
    void emptyFile_isReportedAsEmpty() {
        assertThatThrownBy(() -> LedgerJson.fromBytes(new byte[0], WHERE))
                .hasMessage(WHERE + ": empty (0 bytes), not a ledger page");
    }

    @Test
    void badFieldDeepInAPage_namesItsJsonPath() {
        assertThatThrownBy(() -> LedgerJson.fromBytes(bytes("""
                {"formatVersion": 1, "workload": {"namespace": "a", "name": "b"},
                 "calls": [{"host": "x", "port": 80, "first": "2026-01-01T00:00:00Z", "last": "2026-01-01T00:00:00Z"},
                           {"host": "y", "port": 99999, "first": "2026-01-01T00:00:00Z", "last": "2026-01-01T00:00:00Z"}]}
                """), WHERE))
                .hasMessage(WHERE + ": calls[1].port: must be a port number 0 to 65535, got 99999");
    }

    @Test
    void badFieldInACustomResource_namesTheSpecPath() {
        ObjectNode spec = LedgerJson.toTree(LedgerSamples.bookinfo().page(PRODUCTPAGE).orElseThrow());
        ((ObjectNode) spec.get("calls").get(0)).put("first", "yesterday");

        assertThatThrownBy(() -> LedgerJson.fromTree(spec, "WorkloadDependencies bookinfo/productpage-v1", "spec"))
                .hasMessage("WorkloadDependencies bookinfo/productpage-v1: spec.calls[0].first: \"yesterday\" is not"
                        + " an RFC 3339 time such as 2026-01-31T12:00:00Z");
    }

    @Test
    void unknownSource_isNamed() {
        assertThatThrownBy(() -> LedgerJson.fromBytes(bytes("""
                {"formatVersion": 1, "workload": {"namespace": "a", "name": "b"}, "lastReported": {"zipkin": "2026-01-01T00:00:00Z"}}
                """), WHERE))
                .hasMessage(WHERE + ": lastReported: unknown evidence source 'zipkin'");
    }
}
