package dev.meshpilot.kube.directory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.kube.convert.Conversion;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory of Kubernetes manifests: every {@code *.yaml} / {@code *.yml} file below it (hidden files and
 * directories excluded), read in path order, each file multi-document. The root may also be a single file.
 */
public final class ManifestDirectory {

    private final Path root;
    private final KubeObjectConverter converter;
    private final ObjectMapper yaml;

    public ManifestDirectory(Path root, KubeObjectConverter converter) {
        this.root = root.toAbsolutePath().normalize();
        this.converter = converter;
        this.yaml = new ObjectMapper(YAMLFactory.builder().build()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    }

    public ManifestDirectory(Path root) {
        this(root, new KubeObjectConverter());
    }

    public Path root() {
        return root;
    }

    public KubeObjectConverter converter() {
        return converter;
    }

    /** Reads every manifest file once. */
    public LoadResult load() {
        SortedMap<String, FileLoad> files = new TreeMap<>();
        for (String file : manifestFiles()) {
            files.put(file, loadFile(file));
        }
        return assemble(files);
    }

    /** The manifest files below the root, as {@code /}-separated paths relative to it, sorted. */
    List<String> manifestFiles() {
        if (Files.isRegularFile(root)) {
            return List.of(root.getFileName().toString());
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root))
                    .filter(p -> isManifest(root.relativize(p)))
                    .filter(Files::isRegularFile)
                    .map(this::key)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** The file behind a relative key. */
    Path resolve(String key) {
        return Files.isRegularFile(root) && root.getFileName().toString().equals(key) ? root : root.resolve(key);
    }

    String key(Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    static boolean isManifest(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        String name = relative.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Reads and converts one file; never throws for bad content. */
    FileLoad loadFile(String file) {
        String content;
        try {
            byte[] bytes = Files.readAllBytes(resolve(file));
            content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return unreadable(file, "file is not UTF-8 text");
        } catch (IOException e) {
            return unreadable(file, "cannot read file: " + e.getMessage());
        }
        List<FileLoad.LoadedObject> objects = new ArrayList<>();
        List<ConversionProblem> problems = new ArrayList<>();
        Map<String, Integer> skipped = new HashMap<>();
        Set<ObjectRef> failedRefs = new HashSet<>();
        Map<String, Integer> firstSkipWarning = new HashMap<>();
        List<YamlDocuments.Document> documents = YamlDocuments.split(content);
        int malformed = 0;
        for (YamlDocuments.Document doc : documents) {
            JsonNode tree;
            try {
                tree = yaml.readTree(doc.text());
            } catch (JsonProcessingException e) {
                malformed++;
                JsonLocation at = e.getLocation();
                int line = at == null || at.getLineNr() < 1 ? doc.startLine() : doc.startLine() + at.getLineNr() - 1;
                problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, file, doc.index(), line, "", "", "",
                        "", "malformed YAML: " + firstLine(e.getOriginalMessage())));
                continue;
            }
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                continue;
            }
            for (Conversion conversion : converter.convertDocument(tree)) {
                if (conversion instanceof Conversion.Converted c) {
                    objects.add(new FileLoad.LoadedObject(c.ref(), doc.index(), doc.startLine(), c.objects()));
                } else if (conversion instanceof Conversion.Skipped s) {
                    int seen = skipped.merge(s.typeName(), 1, Integer::sum);
                    if (seen == 1) {
                        s.warning().ifPresent(w -> {
                            firstSkipWarning.put(s.typeName(), problems.size());
                            problems.add(w.at(file, doc.index(), doc.startLine()));
                        });
                    }
                } else if (conversion instanceof Conversion.Failed f) {
                    problems.add(f.problem().at(file, doc.index(), doc.startLine()));
                    f.ref().ifPresent(failedRefs::add);
                }
            }
        }
        // One warning per unused type and file, so that a cluster dump does not bury the errors.
        firstSkipWarning.forEach((type, position) -> {
            int more = skipped.get(type) - 1;
            if (more > 0) {
                ConversionProblem w = problems.get(position);
                problems.set(position, new ConversionProblem(w.severity(), w.file(), w.documentIndex(), w.line(),
                        w.kind(), w.namespace(), w.name(), w.field(), w.message() + " (and " + more + " more in this file)"));
            }
        });
        boolean unparsable = !documents.isEmpty() && malformed == documents.size();
        return new FileLoad(file, objects, problems, skipped, failedRefs, unparsable);
    }

    private static FileLoad unreadable(String file, String message) {
        return new FileLoad(file, List.of(), List.of(new ConversionProblem(ConversionProblem.Severity.ERROR, file, 0, 0,
                "", "", "", "", message)), Map.of(), Set.of(), true);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /**
     * Settles duplicates (same kind, namespace and name): the first in path and document order is kept, each later
     * one is reported and dropped. Files keep their other objects.
     */
    static LoadResult assemble(SortedMap<String, FileLoad> files) {
        Map<ObjectRef, String> firstSeen = new HashMap<>();
        Map<String, MeshObjects> objectsByFile = new LinkedHashMap<>();
        List<ConversionProblem> problems = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (FileLoad load : files.values()) {
            problems.addAll(load.problems());
            load.skippedKinds().forEach((k, v) -> skipped.merge(k, v, Integer::sum));
            MeshObjects.Builder kept = MeshObjects.builder();
            for (FileLoad.LoadedObject object : load.objects()) {
                String location = load.file() + " document " + object.documentIndex();
                String earlier = firstSeen.putIfAbsent(object.ref(), location);
                if (earlier != null) {
                    problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, load.file(),
                            object.documentIndex(), object.line(), object.ref().kind(), object.ref().namespace(),
                            object.ref().name(), "metadata.name", "duplicate object: already defined in " + earlier
                            + "; this one is ignored"));
                    continue;
                }
                kept.addAll(object.objects());
            }
            objectsByFile.put(load.file(), kept.build());
        }
        return new LoadResult(objectsByFile, problems, skipped);
    }
}
