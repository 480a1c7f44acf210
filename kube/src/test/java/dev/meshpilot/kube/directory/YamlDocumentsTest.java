package dev.meshpilot.kube.directory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class YamlDocumentsTest {

    @Test
    void separators_splitDocumentsAndKeepTheirStartLines() {
        List<YamlDocuments.Document> docs = YamlDocuments.split("---\na: 1\n--- # second\nb: 2\n\n---\nc: 3\n");

        assertThat(docs).extracting(YamlDocuments.Document::index).containsExactly(1, 2, 3);
        assertThat(docs).extracting(YamlDocuments.Document::startLine).containsExactly(2, 4, 7);
        assertThat(docs.get(1).text()).isEqualTo("b: 2\n\n");
    }

    @Test
    void blankAndCommentOnlyParts_areNotDocuments() {
        List<YamlDocuments.Document> docs = YamlDocuments.split("# header\n---\n\n---\n# nothing\n---\na: 1\n---\n");

        assertThat(docs).singleElement().satisfies(d -> {
            assertThat(d.index()).isEqualTo(1);
            assertThat(d.startLine()).isEqualTo(7);
        });
    }

    @Test
    void documentEndMarkerAndCrlf_areHandled() {
        List<YamlDocuments.Document> docs = YamlDocuments.split("a: 1\r\n...\r\nb: 2\r\n");

        assertThat(docs).extracting(YamlDocuments.Document::text).containsExactly("a: 1\n", "b: 2\n");
    }

    @Test
    void indentedDashes_andDashesInsideValues_doNotSplit() {
        List<YamlDocuments.Document> docs = YamlDocuments.split("a: |\n  ---\n  x\nb: \"---\"\n----: 1\n");

        assertThat(docs).hasSize(1);
    }

    @Test
    void contentOnTheSeparatorLine_startsTheNextDocument() {
        List<YamlDocuments.Document> docs = YamlDocuments.split("a: 1\n--- {b: 2}\n");

        assertThat(docs).extracting(YamlDocuments.Document::text).containsExactly("a: 1\n", "{b: 2}\n");
        assertThat(docs.get(1).startLine()).isEqualTo(2);
    }
}
