package dev.meshpilot.server.debug;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /debug/ledgerz}: per calling workload, the destinations it was seen calling with their protocols, sources,
 * count (summed over reporters), first and last sighting, and {@code known}: whether the registry declares the
 * host (an unknown destination is reported, never served).
 */
final class LedgerJson {
    private LedgerJson() {
    }

    static List<Map<String, Object>> of(DependencyLedger ledger, MeshSnapshot registry) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (WorkloadLedger page : ledger.pages()) {
            out.add(page(page, registry));
        }
        return out;
    }

    static Map<String, Object> page(WorkloadLedger page, MeshSnapshot registry) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", page.workload().toString());
        Map<String, Object> reported = new LinkedHashMap<>();
        page.lastReported().forEach((source, at) -> reported.put(source.label(), at.toString()));
        out.put("lastReported", reported);
        List<Map<String, Object>> destinations = new ArrayList<>();
        for (CallEvidence call : page.calls().values()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("host", call.destination().host());
            d.put("port", call.destination().port());
            d.put("known", !registry.servicesNamed(call.destination().host()).isEmpty());
            d.put("protocols", call.protocols().stream().map(CallProtocol::name).toList());
            d.put("sources", call.sources().stream().map(EvidenceSource::label).toList());
            d.put("count", call.count());
            d.put("firstSeen", call.firstSeen().toString());
            d.put("lastSeen", call.lastSeen().toString());
            destinations.add(d);
        }
        out.put("destinations", destinations);
        return out;
    }
}
