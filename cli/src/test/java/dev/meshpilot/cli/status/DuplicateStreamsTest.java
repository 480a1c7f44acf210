package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateStreamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void proxyClaimedByTwoStreams_isOneWarningNamingTheShownConnection() throws Exception {
        var syncz = JSON.readTree("""
                [ {"proxy": "a.ns", "connection_id": 3, "duplicate_streams": [3, 7], "shown_in_config_dump": true},
                  {"proxy": "b.ns", "connection_id": 5},
                  {"proxy": "a.ns", "connection_id": 7, "duplicate_streams": [3, 7], "shown_in_config_dump": false} ]
                """);
        assertThat(DuplicateStreams.warnings(syncz)).containsExactly("warning: 2 streams claim proxy a.ns "
                + "(connections 3, 7); config_dump shows connection 3. A second client may be using this identity: "
                + "see /debug/authz");
    }

    @Test
    void singleStreams_giveNoWarning() throws Exception {
        assertThat(DuplicateStreams.warnings(JSON.readTree("[{\"proxy\": \"a.ns\", \"connection_id\": 1}]"))).isEmpty();
    }
}
