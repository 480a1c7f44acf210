package dev.meshpilot.kube.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-document YAML file at its {@code ---} separator lines, so that a malformed document costs only
 * itself: each part is parsed on its own. Parts holding only blanks and comments are not documents.
 */
final class YamlDocuments {

    /**
     * One document of a file.
     *
     * @param index     1-based position among the file's documents
     * @param startLine 1-based line in the file where the document's text starts
     */
    record Document(int index, int startLine, String text) {
    }

    private YamlDocuments() {
    }

    static List<Document> split(String content) {
        List<Document> documents = new ArrayList<>();
        String[] lines = content.split("\r?\n");
        StringBuilder current = new StringBuilder();
        int start = 1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean separator = line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
            boolean end = line.equals("...") || (line.startsWith("...") && Character.isWhitespace(line.charAt(3)));
            if (separator || end) {
                add(documents, current, start);
                current.setLength(0);
                start = i + 1;
                if (separator) {
                    String rest = line.substring(3).trim();
                    if (!rest.isEmpty() && !rest.startsWith("#")) {
                        current.append(rest).append('\n');
                        start = i + 1;
                    } else {
                        start = i + 2;
                    }
                } else {
                    start = i + 2;
                }
                continue;
            }
            current.append(line).append('\n');
        }
        add(documents, current, start);
        return documents;
    }

    private static void add(List<Document> documents, StringBuilder text, int startLine) {
        if (hasContent(text)) {
            documents.add(new Document(documents.size() + 1, startLine, text.toString()));
        }
    }

    private static boolean hasContent(CharSequence text) {
        for (String line : text.toString().split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith("%")) {
                return true;
            }
        }
        return false;
    }
}
