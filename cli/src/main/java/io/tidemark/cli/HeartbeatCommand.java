package io.tidemark.cli;

import io.tidemark.common.local.HeartbeatWriter;
import io.tidemark.common.local.HeartbeatWriter.EventTimeSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark heartbeat}: writes event-time heartbeats to every partition of the given topics,
 * once or at a cadence, so that quiet changelog partitions do not hold the jobs back. See {@link
 * HeartbeatWriter} for what a heartbeat claims and where its event time comes from.
 */
@Command(
        name = "heartbeat",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a Heartbeat record to every partition of each --topic, once (--once) or every"
                    + " --every, so that a partition that receives nothing (a quiet products or"
                    + " customers changelog) still advances the jobs' watermark. The jobs use"
                    + " heartbeats as progress only and drop them.",
            "A heartbeat at event time T claims that no record with an event time before T will"
                    + " follow in its partition; later records more than the job's bound behind T"
                    + " go to the late topic. T is --at, or the clock minus --event-time-lag, or"
                    + " (with --follow) the lowest latest record timestamp of another topic's"
                    + " partitions minus --event-time-lag."
        })
final class HeartbeatCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin LocalClusterOptions cluster;

    @Option(
            names = "--topic",
            required = true,
            paramLabel = "TOPIC",
            description = "Topic to write heartbeats to (repeatable), e.g. products, customers.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = "--once",
            description = "Write one round and exit (otherwise: every --every until stopped).")
    boolean once;

    @Option(
            names = "--at",
            paramLabel = "ISO-8601",
            description =
                    "The event time of the heartbeats (with --once), e.g. 2026-01-01T12:00:00Z."
                            + " Default: derived from the clock or --follow.")
    String at;

    @Option(
            names = "--every",
            defaultValue = "1 min",
            paramLabel = "DURATION",
            description = "Cadence of the rounds. Default: ${DEFAULT-VALUE}.")
    String every;

    @Option(
            names = "--event-time-lag",
            defaultValue = "1 min",
            paramLabel = "DURATION",
            description =
                    "Safety margin subtracted from the clock (or the followed topic's time): must"
                            + " exceed the longest delay with which the topic's producer can still"
                            + " write a record. Default: ${DEFAULT-VALUE}.")
    String lag;

    @Option(
            names = "--follow",
            paramLabel = "TOPIC",
            description =
                    "Derive the event time from this topic (e.g. orders) instead of the clock: the"
                            + " lowest, over its non-empty partitions, of the greatest record"
                            + " timestamp, minus --event-time-lag. For replays and simulated time.")
    String follow;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "Stop after N rounds (default: run until stopped).")
    Integer rounds;

    @Option(
            names = "--set",
            paramLabel = "kafka.KEY=VALUE",
            description =
                    "Kafka client property, as the jobs take them (e.g."
                            + " kafka.security.protocol=SASL_SSL); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The clock of clock-derived heartbeats; tests replace it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        EventTimeSource source = source();
        Duration cadence = duration("--every", every);
        if (!once && (cadence.isZero() || cadence.isNegative())) {
            throw CliOptions.invalid(spec, "--every must be > 0, was " + every);
        }
        if (rounds != null) {
            CliOptions.atLeast(spec, "--rounds", rounds, 1);
        }
        int total = once ? 1 : rounds == null ? Integer.MAX_VALUE : rounds;
        PrintWriter out = spec.commandLine().getOut();
        try (HeartbeatWriter writer =
                new HeartbeatWriter(cluster.bootstrap(), clientProperties(), topics, source)) {
            for (int round = 1; round <= total; round++) {
                HeartbeatWriter.Round result = writer.writeOnce();
                result.written()
                        .forEach(
                                (topic, time) ->
                                        out.printf(
                                                "%s: %s%n",
                                                topic,
                                                time == null
                                                        ? "skipped (no newer event time)"
                                                        : "heartbeat at "
                                                                + time
                                                                + " to "
                                                                + result.partitions().get(topic)
                                                                + " partitions"));
                out.flush();
                if (round < total) {
                    Thread.sleep(cadence.toMillis());
                }
            }
        }
        return 0;
    }

    private EventTimeSource source() {
        Duration eventTimeLag = duration("--event-time-lag", lag);
        if (eventTimeLag.isNegative()) {
            throw CliOptions.invalid(spec, "--event-time-lag must be >= 0, was " + lag);
        }
        if (at != null) {
            if (!once) {
                throw CliOptions.invalid(
                        spec, "--at needs --once: a fixed time written again changes nothing");
            }
            if (follow != null) {
                throw CliOptions.invalid(spec, "use either --at or --follow, not both");
            }
            try {
                return EventTimeSource.fixed(Instant.parse(at));
            } catch (DateTimeParseException e) {
                throw CliOptions.invalid(
                        spec,
                        "--at "
                                + at
                                + ": expected an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            }
        }
        if (follow != null) {
            return EventTimeSource.following(follow, eventTimeLag);
        }
        return EventTimeSource.clockMinus(clock, eventTimeLag);
    }

    private Duration duration(String option, String text) {
        try {
            return TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(
                    spec, option + " " + text + ": expected a duration such as 30 s or 1 min");
        }
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        settings.forEach(
                (key, value) -> {
                    if (!key.startsWith("kafka.")) {
                        throw CliOptions.invalid(
                                spec, "--set " + key + ": only kafka.* client properties apply");
                    }
                    props.put(key.substring("kafka.".length()), value);
                });
        return props;
    }
}
