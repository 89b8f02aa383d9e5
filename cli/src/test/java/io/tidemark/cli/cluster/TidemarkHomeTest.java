package io.tidemark.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TidemarkHomeTest {

    @Test
    void theJobJarIsTheOneOfTheCheckoutsVersionNotAnOlderOneLeftInTarget(@TempDir Path root)
            throws Exception {
        Path module = Files.createDirectories(root.resolve("jobs/revenue/target")).getParent();
        Files.writeString(
                module.resolve("pom.xml"),
                "<project>\n  <parent>\n    <artifactId>tidemark-jobs</artifactId>\n"
                        + "    <version>0.3.0-SNAPSHOT</version>\n  </parent>\n"
                        + "  <dependencies><dependency><version>9.9</version></dependency>"
                        + "</dependencies>\n</project>\n");
        for (String version : new String[] {"0.1.0-SNAPSHOT", "0.2.0-SNAPSHOT"}) {
            Files.createFile(module.resolve("target/tidemark-job-revenue-" + version + "-job.jar"));
        }

        assertThatThrownBy(() -> TidemarkHome.jobJar(root, "revenue"))
                .hasMessageContaining("tidemark-job-revenue-0.3.0-SNAPSHOT-job.jar is missing")
                .hasMessageContaining("-pl jobs/revenue");

        Path current =
                Files.createFile(
                        module.resolve("target/tidemark-job-revenue-0.3.0-SNAPSHOT-job.jar"));
        assertThat(TidemarkHome.jobJar(root, "revenue")).isEqualTo(current);
    }
}
