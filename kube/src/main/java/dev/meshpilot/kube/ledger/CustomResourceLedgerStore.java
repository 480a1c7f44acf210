package dev.meshpilot.kube.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.LedgerStoreException;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.kube.apply.ObjectTrees;
import dev.meshpilot.kube.apply.WriteMethod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger in the cluster ({@code --kube}), shared by every meshpilot replica: one namespaced
 * {@code WorkloadDependencies} ({@value #GROUP}/{@value #VERSION}) per workload, in the workload's namespace, named
 * after it ({@link LedgerNames#objectName}), its {@code spec} a {@link LedgerJson} page plus an informational
 * {@code destinations} count.
 *
 * <p><b>Sharing.</b> Saving a page re-reads the workload's objects, merges (a join, so order and repetition do
 * not matter), and writes only objects whose content changed; updates carry the {@code resourceVersion} read, so
 * a replica that wrote meanwhile makes the write fail with 409, and the save starts over from a fresh read (at most
 * {@value #MAX_ATTEMPTS} times). No replica's evidence is ever overwritten unseen.
 *
 * <p><b>Size.</b> etcd refuses objects over about 1.5 MiB, so each object's {@code spec} is kept within a byte
 * budget (512 KiB by default): a page that does not fit is split, in destination order, over shard objects
 * {@code NAME}, {@code NAME.shard-2}, {@code NAME.shard-3}, … all labelled {@value #WORKLOAD_LABEL} with the
 * workload and {@value #SHARD_LABEL} with the shard number; loading merges them back. One call takes about 240
 * bytes with one reporter, so about 2,200 destinations fit one object (5,000 took three objects, 1.18 MB of spec in
 * all, in {@code CustomResourceLedgerStoreTest}); more reporters per call make calls larger and shards more.
 * Shards are written last first, so a destination moving to a later shard is written there before it is removed
 * from the earlier one. Shards left over when a page needs fewer hold a subset of the page and are harmless
 * (merging is a join); they are not deleted, so meshpilot needs no delete permission.
 *
 * <p><b>Unreadable objects.</b> An object whose {@code spec} is not a readable page is reported by {@link #load()}
 * with its namespace/name and field, skipped, and never written over: saving leaves it for a human and puts the
 * workload's page in the next free shard name instead, so neither the good data nor the evidence of what went
 * wrong is lost. The same holds for an object at the workload's name that belongs to something else.
 *
 * <p>Written with server-side apply under field manager {@value WriteMethod#FIELD_MANAGER} ({@link WriteMethod}).
 */
public final class CustomResourceLedgerStore implements LedgerStore {

    public static final String GROUP = "meshpilot.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "WorkloadDependencies";
    public static final String PLURAL = "workloaddependencies";
    public static final String SHORT_NAME = "wdeps";
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural(PLURAL).withNamespaced(true).build();
    /** The default bound on one object's serialized {@code spec}, well under etcd's ~1.5 MiB. */
    public static final int DEFAULT_BYTE_BUDGET = 512 * 1024;
    static final String WORKLOAD_LABEL = "meshpilot.dev/workload";
    static final String SHARD_LABEL = "meshpilot.dev/shard";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final int MAX_ATTEMPTS = 8;

    private final KubernetesClient client;
    private final WriteMethod writes;
    private final int byteBudget;

    /** The production store: server-side apply, 512 KiB per object. */
    public CustomResourceLedgerStore(KubernetesClient client) {
        this(client, WriteMethod.SERVER_SIDE_APPLY, DEFAULT_BYTE_BUDGET);
    }

    /** A store writing with {@code writes} ({@link WriteMethod#REPLACE} against fabric8's CRUD mock). */
    public CustomResourceLedgerStore(KubernetesClient client, WriteMethod writes, int byteBudget) {
        if (byteBudget < 4 * 1024) {
            throw new IllegalArgumentException("a byte budget under 4 KiB cannot hold a page: " + byteBudget);
        }
        this.client = client;
        this.writes = writes;
        this.byteBudget = byteBudget;
    }

    @Override
    public Loaded load() {
        List<GenericKubernetesResource> objects;
        try {
            objects = client.genericKubernetesResources(CONTEXT).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new LedgerStoreException("the API server does not serve " + PLURAL + "." + GROUP + "/" + VERSION
                        + ": install its CRD (kubectl apply -f deploy/15-workloaddependencies-crd.yaml)", e);
            }
            throw new LedgerStoreException("cannot list " + PLURAL + "." + GROUP + ": " + e.getMessage(), e);
        }
        List<WorkloadLedger> pages = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            try {
                pages.add(pageOf(object));
            } catch (LedgerFormatException e) {
                problems.add(e.getMessage() + "; skipped and left as it is");
            }
        }
        return new Loaded(DependencyLedger.of(pages), problems);
    }

    @Override
    public DependencyLedger save(DependencyLedger ledger) {
        for (WorkloadLedger page : ledger.pages()) {
            savePage(page);
        }
        return load().ledger().merge(ledger);
    }

    @Override
    public String describe() {
        return KIND + " (" + PLURAL + "." + GROUP + ") in the cluster";
    }

    /** How many objects the workload's page takes now (for tests and status). */
    int objectCount(WorkloadKey workload) {
        return stored(workload).mine().size();
    }

    private void savePage(WorkloadLedger page) {
        Set<String> occupied = new HashSet<>();
        KubernetesClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                writePage(page, occupied);
                return;
            } catch (KubernetesClientException e) {
                if (!WriteMethod.isConflict(e)) {
                    throw new LedgerStoreException("cannot write " + KIND + " of " + page.workload() + ": "
                            + e.getMessage(), e);
                }
                last = e;
                pause(attempt);
            }
        }
        throw new LedgerStoreException("gave up writing " + KIND + " of " + page.workload() + " after "
                + MAX_ATTEMPTS + " conflicting writes by other replicas", last);
    }

    /** One read-merge-write round; a 409 from any write ends it (the caller starts over). */
    private void writePage(WorkloadLedger page, Set<String> occupied) {
        WorkloadKey workload = page.workload();
        Stored stored = stored(workload);
        occupied.addAll(stored.occupied());
        WorkloadLedger merged = page;
        for (Shard shard : stored.mine().values()) {
            merged = merged.merge(shard.page());
        }
        List<WorkloadLedger> pieces = split(merged);
        List<String> names = slotNames(workload, pieces.size(), occupied);
        var objects = objects(workload.namespace());
        for (int i = pieces.size() - 1; i >= 0; i--) {
            String name = names.get(i);
            Shard existing = stored.mine().get(name);
            if (existing != null && existing.page().equals(pieces.get(i))) {
                continue;
            }
            GenericKubernetesResource desired = object(name, i + 1, pieces.get(i));
            if (existing != null) {
                writes.update(objects, desired, existing.resourceVersion());
            } else {
                try {
                    writes.create(objects, desired);
                } catch (KubernetesClientException e) {
                    if (WriteMethod.isConflict(e) && !isOurs(objects.withName(name).get(), workload)) {
                        occupied.add(name); // something else has this name: use the next one
                    }
                    throw e;
                }
            }
        }
    }

    /** The page split in destination order into pieces whose specs stay within the byte budget. */
    List<WorkloadLedger> split(WorkloadLedger page) {
        int overhead = LedgerJson.toBytes(specOf(new WorkloadLedger(page.workload(), new TreeMap<>(),
                page.lastReported()))).length + 32;
        List<WorkloadLedger> pieces = new ArrayList<>();
        TreeMap<Destination, CallEvidence> current = new TreeMap<>();
        int size = overhead;
        for (CallEvidence call : page.calls().values()) {
            int callSize = LedgerJson.sizeOf(call) + 1;
            if (!current.isEmpty() && size + callSize > byteBudget) {
                pieces.add(new WorkloadLedger(page.workload(), current, page.lastReported()));
                current = new TreeMap<>();
                size = overhead;
            }
            current.put(call.destination(), call);
            size += callSize;
        }
        pieces.add(new WorkloadLedger(page.workload(), current, page.lastReported()));
        return pieces;
    }

    /** The object names of {@code count} shards: {@code NAME}, {@code NAME.shard-2}, … skipping occupied names. */
    private static List<String> slotNames(WorkloadKey workload, int count, Set<String> occupied) {
        String base = LedgerNames.objectName(workload.name());
        List<String> names = new ArrayList<>();
        for (int n = 1; names.size() < count; n++) {
            String name = n == 1 ? base : base + ".shard-" + n;
            if (!occupied.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private GenericKubernetesResource object(String name, int shard, WorkloadLedger piece) {
        ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        tree.put("apiVersion", GROUP + "/" + VERSION);
        tree.put("kind", KIND);
        ObjectNode metadata = tree.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", piece.workload().namespace());
        ObjectNode labels = metadata.putObject("labels");
        labels.put(MANAGED_BY_LABEL, WriteMethod.FIELD_MANAGER);
        labels.put(WORKLOAD_LABEL, LedgerNames.labelValue(piece.workload().name()));
        labels.put(SHARD_LABEL, Integer.toString(shard));
        tree.set("spec", specOf(piece));
        return ObjectTrees.toResource(tree);
    }

    private static ObjectNode specOf(WorkloadLedger piece) {
        ObjectNode spec = LedgerJson.toTree(piece);
        spec.put("destinations", piece.calls().size());
        return spec;
    }

    /** The workload's objects found by label: readable pages of it, and names taken by anything else. */
    private Stored stored(WorkloadKey workload) {
        List<GenericKubernetesResource> labelled = objects(workload.namespace())
                .withLabel(WORKLOAD_LABEL, LedgerNames.labelValue(workload.name())).list().getItems();
        Map<String, Shard> mine = new LinkedHashMap<>();
        Set<String> occupied = new HashSet<>();
        for (GenericKubernetesResource object : labelled) {
            String name = object.getMetadata().getName();
            try {
                WorkloadLedger page = pageOf(object);
                if (page.workload().equals(workload)) {
                    mine.put(name, new Shard(page, object.getMetadata().getResourceVersion()));
                } else {
                    occupied.add(name);
                }
            } catch (LedgerFormatException e) {
                occupied.add(name);
            }
        }
        return new Stored(mine, occupied);
    }

    private static boolean isOurs(GenericKubernetesResource object, WorkloadKey workload) {
        if (object == null) {
            return false;
        }
        try {
            return pageOf(object).workload().equals(workload);
        } catch (LedgerFormatException e) {
            return false;
        }
    }

    /** The page in an object's spec; a page of another namespace's workload is unreadable here. */
    static WorkloadLedger pageOf(GenericKubernetesResource object) {
        String namespace = object.getMetadata().getNamespace();
        String where = KIND + " " + namespace + "/" + object.getMetadata().getName();
        JsonNode spec = ObjectTrees.toTree(object).get("spec");
        if (spec == null || spec.isNull()) {
            throw new LedgerFormatException(where + ": spec: missing");
        }
        WorkloadLedger page = LedgerJson.fromTree(spec, where, "spec");
        if (!page.workload().namespace().equals(namespace)) {
            throw new LedgerFormatException(where + ": spec.workload.namespace: is "
                    + page.workload().namespace() + ", but a page is kept in its workload's namespace");
        }
        return page;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> objects(String namespace) {
        return client.genericKubernetesResources(CONTEXT).inNamespace(namespace);
    }

    /** A short, growing pause between attempts, so replicas that collided do not collide again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << attempt) + (long) (Math.random() * 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerStoreException("interrupted while writing the ledger", e);
        }
    }

    /** One readable shard of the workload's page and the version it was read at. */
    private record Shard(WorkloadLedger page, String resourceVersion) {
    }

    /** What is stored of one workload: its shards by object name, and names that are not usable for it. */
    private record Stored(Map<String, Shard> mine, Set<String> occupied) {
    }
}
