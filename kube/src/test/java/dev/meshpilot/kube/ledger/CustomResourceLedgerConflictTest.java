package dev.meshpilot.kube.ledger;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.LedgerStoreException;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.testing.CrudApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A save meeting 409 Conflict (another replica wrote first) re-reads, merges and writes again, a bounded number
 * of times; against fabric8's Kubernetes API server mock in CRUD mode (the accepted stand-in for a
 * kube-apiserver) with scripted statuses.
 */
class CustomResourceLedgerConflictTest {

    private final ScriptedStatusDispatcher dispatcher = new ScriptedStatusDispatcher();
    private final CrudApiServer api = new CrudApiServer(dispatcher);
    private final CustomResourceLedgerStore store = new CustomResourceLedgerStore(api.newClient(), WriteMethod.REPLACE,
            CustomResourceLedgerStore.DEFAULT_BYTE_BUDGET);

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void conflictingWrite_isRetriedFromAFreshRead_andTheSaveSucceeds() {
        store.save(LedgerSamples.bookinfo());
        dispatcher.answerNext("PUT", 409, 2);
        DependencyLedger more = LedgerSamples.productpageCalls("api.example.com", "meshpilot-1");

        DependencyLedger saved = store.save(more);

        assertThat(dispatcher.requests("PUT")).isEqualTo(3);
        assertThat(saved).isEqualTo(LedgerSamples.bookinfo().merge(more));
        assertThat(store.load().ledger()).isEqualTo(saved);
    }

    @Test
    void kindNotServed_isAStoreErrorThatSaysToInstallTheCrd() {
        dispatcher.answerNext("GET", 404, 1);

        assertThatThrownBy(store::load)
                .isInstanceOf(LedgerStoreException.class)
                .hasMessage("the API server does not serve workloaddependencies.meshpilot.dev/v1alpha1: install"
                        + " its CRD (kubectl apply -f deploy/15-workloaddependencies-crd.yaml)");
    }

    @Test
    void conflictsThatNeverEnd_giveUpAfterTheBoundWithAClearError() {
        store.save(LedgerSamples.bookinfo());
        dispatcher.answerNext("PUT", 409, Integer.MAX_VALUE);

        assertThatThrownBy(() -> store.save(LedgerSamples.productpageCalls("api.example.com", "meshpilot-1")))
                .isInstanceOf(LedgerStoreException.class)
                .hasMessage("gave up writing WorkloadDependencies of bookinfo/productpage-v1 after "
                        + CustomResourceLedgerStore.MAX_ATTEMPTS + " conflicting writes by other replicas");
        assertThat(dispatcher.requests("PUT")).isEqualTo(CustomResourceLedgerStore.MAX_ATTEMPTS);
    }
}
