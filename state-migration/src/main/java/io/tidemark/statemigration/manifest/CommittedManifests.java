package io.tidemark.statemigration.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The state manifests committed under {@code state-migration/manifests/}, one per job and released
 * version, listed in {@code manifests/index.txt} and packaged on the class path under {@code
 * tidemark/manifests/}.
 */
public final class CommittedManifests {

    private static final String ROOT = "tidemark/manifests/";

    private CommittedManifests() {}

    /** The version being built, without {@code -SNAPSHOT}: the one whose manifest is current. */
    public static String currentVersion() {
        try (InputStream in = resource("tidemark/state-migration.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version").replace("-SNAPSHOT", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every committed manifest of {@code job}, oldest version first (index order). */
    public static List<StateManifest> all(String job) {
        List<StateManifest> manifests = new ArrayList<>();
        for (String entry : index()) {
            if (entry.startsWith(job + "/")) {
                manifests.add(load(entry));
            }
        }
        return manifests;
    }

    /** The manifest of {@code job} at {@code version}, if committed. */
    public static Optional<StateManifest> of(String job, String version) {
        String entry = job + "/" + version + ".json";
        return index().contains(entry) ? Optional.of(load(entry)) : Optional.empty();
    }

    /** The manifest of the version being built; fails naming the file when it is missing. */
    public static StateManifest current(String job) {
        String version = currentVersion();
        return of(job, version)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no state manifest committed for "
                                                + job
                                                + " "
                                                + version
                                                + ": expected state-migration/manifests/"
                                                + job
                                                + "/"
                                                + version
                                                + ".json (see docs/operations.md, upgrading a"
                                                + " job)"));
    }

    /** The entries of {@code manifests/index.txt} ({@code <job>/<version>.json}). */
    public static List<String> index() {
        List<String> entries = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                resource(ROOT + "index.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    entries.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static StateManifest load(String entry) {
        try (InputStream in = resource(ROOT + entry)) {
            return StateManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + entry, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = CommittedManifests.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing class-path resource " + name);
        }
        return in;
    }
}
