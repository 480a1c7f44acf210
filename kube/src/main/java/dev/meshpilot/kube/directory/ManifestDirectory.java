package dev.meshpilot.kube.directory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import dev.meshpilot.kube.convert.Conversion;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory of Kubernetes manifests: every {@code *.yaml} / {@code *.yml} file below it (hidden files and
 * directories excluded), read in path order, each file multi-document. The root may also be a single file.
 * Reading is bounded by {@link ParseLimits}: a file over the size bound is not read, a document with a line longer
 * than the scalar bound is not parsed, and the parser refuses longer scalars, more aliases and deeper nesting.
 */
public final class ManifestDirectory {

    /** Lists the entries below a root (the JDK's {@link Files#walk}; replaceable to inject listing failures). */
    @FunctionalInterface
    interface Walker {
        Stream<Path> walk(Path root) throws IOException;
    }

    private final Path root;
    private final KubeObjectConverter converter;
    private final ParseLimits limits;
    private final Walker walker;
    private final ObjectMapper yaml;

    ManifestDirectory(Path root, KubeObjectConverter converter, ParseLimits limits, Walker walker) {
        this.root = root.toAbsolutePath().normalize();
        this.converter = Objects.requireNonNull(converter, "converter");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.walker = Objects.requireNonNull(walker, "walker");
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit((int) limits.maxFileBytes());
        loader.setMaxAliasesForCollections(limits.maxAliases());
        loader.setNestingDepthLimit(limits.maxNestingDepth());
        this.yaml = new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(limits.maxScalarChars())
                        .maxNestingDepth(limits.maxNestingDepth())
                        .build())
                .build()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    }

    public ManifestDirectory(Path root, KubeObjectConverter converter, ParseLimits limits) {
        this(root, converter, limits, Files::walk);
    }

    public ManifestDirectory(Path root, KubeObjectConverter converter) {
        this(root, converter, ParseLimits.DEFAULT);
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

    ParseLimits limits() {
        return limits;
    }

    /** Reads every manifest file once. */
    public LoadResult load() {
        SortedMap<String, FileLoad> files = new TreeMap<>();
        for (String file : manifestFiles()) {
            files.put(file, loadFile(file));
        }
        return Duplicates.resolve(files, Map.of()).result();
    }

    /** The manifest files below the root, as {@code /}-separated paths relative to it, sorted. */
    List<String> manifestFiles() {
        return listing().files();
    }

    /** Lists the manifest files, telling apart an empty directory, broken links and a listing that failed. */
    DirectoryListing listing() {
        if (Files.isRegularFile(root)) {
            return new DirectoryListing(List.of(root.getFileName().toString()), Map.of(), Optional.empty());
        }
        if (!Files.exists(root)) {
            return DirectoryListing.failed("registry directory does not exist");
        }
        if (!Files.isDirectory(root)) {
            return DirectoryListing.failed("registry path is neither a directory nor a regular file");
        }
        List<String> files = new ArrayList<>();
        Map<String, String> broken = new TreeMap<>();
        try (Stream<Path> paths = walker.walk(root)) {
            paths.filter(p -> !p.equals(root)).filter(p -> isManifest(root.relativize(p))).forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(key(p));
                } else if (Files.isSymbolicLink(p)) {
                    broken.put(key(p), whyUnresolved(p));
                }
            });
        } catch (IOException e) {
            return DirectoryListing.failed("cannot list the registry directory: " + describe(e));
        } catch (UncheckedIOException e) {
            return DirectoryListing.failed("cannot list the registry directory: " + describe(e.getCause()));
        }
        files.sort(null);
        return new DirectoryListing(files, broken, Optional.empty());
    }

    private static String whyUnresolved(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            target = "?";
        }
        try {
            link.toRealPath();
            return "symbolic link to " + target + " is not a regular file";
        } catch (NoSuchFileException e) {
            return "dangling symbolic link (its target " + target + " does not exist)";
        } catch (IOException e) {
            return "symbolic link to " + target + " does not resolve (" + describe(e) + ")";
        }
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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
        FileBytes read = read(file);
        return read.bytes() == null ? unreadable(file, read.error()) : parse(file, read.bytes());
    }

    /**
     * A file's bytes, or why they were not read.
     *
     * @param size     the size the file had when it was looked at ({@code -1} when unknown)
     * @param modified modification time in milliseconds ({@code 0} when unknown)
     */
    record FileBytes(byte[] bytes, String error, long size, long modified) {
    }

    /** Reads a file unless its attributes say it is over the size bound (then it is not opened at all). */
    FileBytes read(String file) {
        Path path = resolve(file);
        long size;
        long modified;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            size = attributes.size();
            modified = attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return new FileBytes(null, "cannot read file: " + describe(e), -1, 0);
        }
        if (size > limits.maxFileBytes()) {
            return new FileBytes(null, "file is " + size + " bytes, over the limit of " + limits.maxFileBytes()
                    + " bytes (--registry-max-file-bytes); not read", size, modified);
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length > limits.maxFileBytes()) {
                return new FileBytes(null, "file grew to " + bytes.length + " bytes while read, over the limit of "
                        + limits.maxFileBytes() + " bytes; not used", bytes.length, modified);
            }
            return new FileBytes(bytes, "", size, modified);
        } catch (IOException e) {
            return new FileBytes(null, "cannot read file: " + describe(e), size, modified);
        }
    }

    /** Converts one file's content; never throws for bad content. */
    FileLoad parse(String file, byte[] bytes) {
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return unreadable(file, "file is not UTF-8 text");
        }
        List<FileLoad.LoadedObject> objects = new ArrayList<>();
        List<ConversionProblem> problems = new ArrayList<>();
        Map<String, Integer> skipped = new HashMap<>();
        Set<ObjectRef> failedRefs = new HashSet<>();
        List<FileLoad.BrokenDocument> broken = new ArrayList<>();
        Map<String, Integer> firstSkipWarning = new HashMap<>();
        List<YamlDocuments.Document> documents = YamlDocuments.split(content);
        for (YamlDocuments.Document doc : documents) {
            JsonNode tree;
            Optional<ConversionProblem> refused = overLongLine(file, doc);
            if (refused.isPresent()) {
                problems.add(refused.get());
                broken.add(brokenDocument(doc, refused.get().line()));
                continue;
            }
            try {
                tree = yaml.readTree(doc.text());
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                int line = at == null || at.getLineNr() < 1 ? doc.startLine() : doc.startLine() + at.getLineNr() - 1;
                problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, file, doc.index(), line, "", "", "",
                        "", "malformed YAML: " + firstLine(e.getOriginalMessage())));
                broken.add(brokenDocument(doc, line));
                continue;
            } catch (RuntimeException e) {
                problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, file, doc.index(), doc.startLine(),
                        "", "", "", "", "malformed YAML: " + firstLine(e.getMessage())));
                broken.add(brokenDocument(doc, doc.startLine()));
                continue;
            }
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                continue;
            }
            Optional<String> longScalar = scalarOverLimit(tree, "");
            if (longScalar.isPresent()) {
                // A multi-line (block) scalar is not one line: the line check cannot see it, the tree can.
                problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, file, doc.index(), doc.startLine(),
                        "", "", "", longScalar.get(), "scalar is over the limit of " + limits.maxScalarChars()
                        + " characters (--registry-max-scalar-chars); document not used"));
                broken.add(brokenDocument(doc, doc.startLine()));
                continue;
            }
            List<Conversion> conversions = converter.convertDocument(tree);
            boolean list = tree.path("kind").asText("").endsWith("List") && tree.path("items").isArray();
            List<JsonNode> sources = list ? itemsOf(tree, conversions.size()) : List.of(tree);
            for (int i = 0; i < conversions.size(); i++) {
                Conversion conversion = conversions.get(i);
                if (conversion instanceof Conversion.Converted c) {
                    String created = i < sources.size()
                            ? sources.get(i).path("metadata").path("creationTimestamp").asText("") : "";
                    objects.add(new FileLoad.LoadedObject(c.ref(), doc.index(), doc.startLine(), created, c.objects()));
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
        return new FileLoad(file, objects, problems, skipped, failedRefs, broken, documents.size(), false);
    }

    /** The path of the first text value longer than the scalar bound, if any. */
    private Optional<String> scalarOverLimit(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().length() > limits.maxScalarChars() ? Optional.of(path) : Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = scalarOverLimit(node.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                Optional<String> found = scalarOverLimit(field.getValue(),
                        path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> itemsOf(JsonNode tree, int expected) {
        List<JsonNode> items = new ArrayList<>();
        tree.path("items").forEach(items::add);
        return items.size() == expected ? items : List.of();
    }

    private static FileLoad.BrokenDocument brokenDocument(YamlDocuments.Document doc, int line) {
        DocumentHeader.Header h = DocumentHeader.scan(doc.text());
        return new FileLoad.BrokenDocument(doc.index(), line, h.kind(), h.namespace(), h.name());
    }

    /** A line longer than the scalar bound: refused before the parser sees it (a long plain scalar is one line). */
    private Optional<ConversionProblem> overLongLine(String file, YamlDocuments.Document doc) {
        String text = doc.text();
        int lineStart = 0;
        int lineNumber = doc.startLine();
        while (lineStart <= text.length()) {
            int end = text.indexOf('\n', lineStart);
            int lineEnd = end < 0 ? text.length() : end;
            if (lineEnd - lineStart > limits.maxScalarChars()) {
                return Optional.of(new ConversionProblem(ConversionProblem.Severity.ERROR, file, doc.index(), lineNumber,
                        "", "", "", "", "line is " + (lineEnd - lineStart) + " characters long, over the scalar limit of "
                        + limits.maxScalarChars() + " (--registry-max-scalar-chars); document not parsed"));
            }
            if (end < 0) {
                break;
            }
            lineStart = end + 1;
            lineNumber++;
        }
        return Optional.empty();
    }

    static FileLoad unreadable(String file, String message) {
        return new FileLoad(file, List.of(), List.of(new ConversionProblem(ConversionProblem.Severity.ERROR, file, 0, 0,
                "", "", "", "", message)), Map.of(), Set.of(), List.of(), 0, true);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
