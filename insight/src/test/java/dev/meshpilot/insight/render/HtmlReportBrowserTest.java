package dev.meshpilot.insight.render;

import dev.meshpilot.insight.testing.Reports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report in real headless Chromium (Debian's {@code chromium}): it loads without console messages (errors,
 * failed loads) with the network switched off, and its screenshot shows the charts in both series' colours.
 * Skipped only when Chromium is absent outside CI; in CI ({@code CI} set) a missing Chromium fails.
 */
class HtmlReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int NOW_RGB = 0xd1495b;
    private static final int PROPOSED_RGB = 0x00798c;

    @BeforeAll
    static void chromiumIsInstalled() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(CHROMIUM + " is missing; CI must install Debian's chromium (apt-get install -y chromium)");
        }
        assumeTrue(false, CHROMIUM + " is absent and CI is not set: skipping the browser test "
                + "(install with: apt-get update && apt-get install -y chromium)");
    }

    /** What one headless run printed and drew. */
    private record Run(int exitCode, List<String> consoleLines, BufferedImage screenshot) {
    }

    private static Run open(Path html, Path work) throws IOException, InterruptedException {
        Path png = work.resolve("screenshot.png");
        Path log = work.resolve("chromium.log");
        List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createDirectories(work.resolve("profile")),
                "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--log-level=0",
                "--window-size=1200,1800", "--hide-scrollbars", "--screenshot=" + png, html.toUri().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not finish within 120 s; log: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        List<String> console = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(":CONSOLE")) {
                console.add(line);
            }
        }
        BufferedImage image = Files.exists(png) ? ImageIO.read(png.toFile()) : null;
        return new Run(process.exitValue(), console, image);
    }

    @Test
    void report_loadsWithoutConsoleMessages_andShowsTheCharts(@TempDir Path work) throws Exception {
        Path html = work.resolve("footprint.html");
        Files.writeString(html, new HtmlRenderer().render(Reports.sharedClusterOracle()), StandardCharsets.UTF_8);

        Run run = open(html, work);

        assertThat(run.exitCode()).isZero();
        assertThat(run.consoleLines()).as("console messages").isEmpty();
        assertThat(run.screenshot()).as("screenshot").isNotNull();
        assertThat(run.screenshot().getWidth()).isEqualTo(1200);
        assertThat(pixelsNear(run.screenshot(), NOW_RGB)).as("pixels in the 'now' colour").isGreaterThan(2_000);
        assertThat(pixelsNear(run.screenshot(), PROPOSED_RGB)).as("pixels in the 'proposed' colour")
                .isGreaterThan(2_000);
        assertThat(nonWhiteShare(run.screenshot())).as("share of non-white pixels").isBetween(0.03, 0.9);
    }

    @Test
    void consoleErrors_wouldBeCaught(@TempDir Path work) throws Exception {
        // The detector itself: a page that logs an error and throws must show up in the console lines.
        Path html = work.resolve("broken.html");
        Files.writeString(html, "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"></head><body>"
                + "<script>console.error('marker-error'); missingFunction();</script></body></html>");

        Run run = open(html, work);

        assertThat(run.consoleLines()).anyMatch(l -> l.contains("marker-error"))
                .anyMatch(l -> l.contains("missingFunction"));
    }

    @Test
    void blankPage_wouldFailTheChartCheck(@TempDir Path work) throws Exception {
        Path html = work.resolve("blank.html");
        Files.writeString(html, "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"></head><body></body></html>");

        Run run = open(html, work);

        assertThat(pixelsNear(run.screenshot(), NOW_RGB)).isZero();
        assertThat(nonWhiteShare(run.screenshot())).isLessThan(0.03);
    }

    private static int pixelsNear(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (close(image.getRGB(x, y), rgb)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static double nonWhiteShare(BufferedImage image) {
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    nonWhite++;
                }
            }
        }
        return (double) nonWhite / ((long) image.getWidth() * image.getHeight());
    }

    private static boolean close(int argb, int rgb) {
        int dr = Math.abs(((argb >> 16) & 0xff) - ((rgb >> 16) & 0xff));
        int dg = Math.abs(((argb >> 8) & 0xff) - ((rgb >> 8) & 0xff));
        int db = Math.abs((argb & 0xff) - (rgb & 0xff));
        return dr + dg + db <= 24;
    }
}
