package io.tidemark.common.runtime.job;

import io.tidemark.common.runtime.config.TidemarkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers that the sink preflight ran for a submission, so that {@code main} running again for
 * the same submission does not ask the brokers again.
 *
 * <p>What re-runs {@code main}: in application mode the JobManager runs the job's {@code main}
 * itself. When the JobManager process fails over (a new pod, a restarted container) with high
 * availability on, the new JobManager runs {@code main} again; Flink recognises the job by the
 * fixed job id it set ({@code $internal.pipeline.job-id}) and recovers it from its HA store instead
 * of submitting it anew. Task failures and restarts from checkpoints never re-run {@code main}.
 * Without HA nothing is recovered: a re-run {@code main} is a new submission and is checked again.
 *
 * <p>So the marker exists only with HA and a fixed job id: a small file {@code
 * <high-availability.storageDir>/<high-availability.cluster-id>/tidemark-preflight/<job
 * id>-<fingerprint>}, on the durable storage HA already needs, in the directory Flink deletes with
 * the rest of the cluster's HA data when the application ends (so a later deployment under the same
 * cluster id, which gets the same derived job id, is checked again). The fingerprint covers the
 * settings the preflight checks (bootstrap servers, delivery guarantee, transaction timeout,
 * transactional ids, execution mode, checkpoint interval, preflight mode), so a last-state upgrade
 * that keeps the job id but changes them is checked again. When the marker cannot be read or
 * written the preflight simply runs.
 */
public final class PreflightMarker {

    private static final Logger LOG = LoggerFactory.getLogger(PreflightMarker.class);

    /** The directory under {@code <high-availability.storageDir>/<cluster id>}. */
    public static final String DIRECTORY = "tidemark-preflight";

    private final Path path;

    private PreflightMarker(Path path) {
        this.path = path;
    }

    /**
     * The marker of this submission, or empty when {@code main} is never re-run for it (no HA, no
     * fixed job id: a session-cluster submission, a local run, a CLI backfill).
     *
     * @param environment the environment's configuration ({@code env.getConfiguration()}), which in
     *     application mode carries the cluster's configuration and the fixed job id
     */
    public static Optional<PreflightMarker> of(ReadableConfig environment, TidemarkConfig config) {
        Optional<String> jobId =
                environment.getOptional(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID);
        String ha = environment.get(HighAvailabilityOptions.HA_MODE);
        Optional<String> storage = environment.getOptional(HighAvailabilityOptions.HA_STORAGE_PATH);
        if (jobId.isEmpty()
                || storage.isEmpty()
                || ha == null
                || ha.isBlank()
                || ha.equalsIgnoreCase("NONE")) {
            return Optional.empty();
        }
        String clusterId = environment.get(HighAvailabilityOptions.HA_CLUSTER_ID);
        Path cluster = new Path(storage.get());
        if (clusterId != null && !clusterId.replace("/", "").isBlank()) {
            cluster = new Path(cluster, clusterId.replaceAll("^/+", ""));
        }
        return Optional.of(
                new PreflightMarker(
                        new Path(
                                new Path(cluster, DIRECTORY),
                                jobId.get() + "-" + fingerprint(config))));
    }

    /** A short hash of the settings the preflight checks. */
    static String fingerprint(TidemarkConfig config) {
        String checked =
                String.join(
                        "\n",
                        String.valueOf(config.bootstrapServers()),
                        String.valueOf(config.deliveryGuarantee()),
                        String.valueOf(config.transactionTimeout()),
                        String.valueOf(config.transactionalIdPrefix()),
                        String.valueOf(config.executionMode()),
                        String.valueOf(config.checkpointInterval()),
                        String.valueOf(config.preflightMode()));
        try {
            byte[] hash =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(checked.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public Path path() {
        return path;
    }

    /** True when the preflight already ran for this submission; false when unsure. */
    public boolean exists() {
        try {
            return path.getFileSystem().exists(path);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Cannot read the preflight marker {}; the preflight runs: {}",
                    path,
                    e.toString());
            return false;
        }
    }

    /** Records that the preflight ran; a failure only means it runs again on a failover. */
    public void write() {
        try (FSDataOutputStream out =
                path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write("sink preflight passed\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Cannot write the preflight marker {}; a JobManager failover will run the"
                            + " preflight again: {}",
                    path,
                    e.toString());
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
