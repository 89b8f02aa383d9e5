package io.tidemark.cli;

import io.tidemark.common.local.KafkaTopics;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark topics create}: every topic the jobs read and write, with its settings. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Kafka topics of the jobs.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw CliOptions.invalid(spec, "Missing subcommand: create");
    }

    /** Where a topic sits in a job, which decides its settings. */
    enum Kind {
        INPUT,
        RESULT,
        ERRORS
    }

    /** One topic to create. */
    record PlannedTopic(String name, Kind kind, int partitions, Map<String, String> configs) {}

    /**
     * The topics of {@code jobs} under their configuration, each once, with the settings its kind
     * needs. Inputs, late and DLQ topics never expire ({@code retention.ms=-1}): their records
     * carry event times, possibly in the past, as Kafka timestamps, and time retention would delete
     * them on arrival; bad input must never be lost. Result topics are upsert streams keyed by the
     * result key, so they are compacted: the latest result per key stays forever, superseded ones
     * go.
     */
    static List<PlannedTopic> plan(
            List<TidemarkJob> jobs, Map<String, String> overrides, int partitions) {
        Map<String, PlannedTopic> topics = new LinkedHashMap<>();
        for (TidemarkJob job : jobs) {
            Configuration conf = configuration(job, overrides);
            for (JobTopic t : job.inputs(conf)) {
                topics.putIfAbsent(
                        t.topic(),
                        new PlannedTopic(
                                t.topic(), Kind.INPUT, partitions, Map.of("retention.ms", "-1")));
            }
            for (JobTopic t : job.resultTopics(conf)) {
                topics.putIfAbsent(
                        t.topic(),
                        new PlannedTopic(
                                t.topic(),
                                Kind.RESULT,
                                partitions,
                                Map.of("cleanup.policy", "compact")));
            }
            for (JobTopic t : job.errorTopics(conf)) {
                topics.putIfAbsent(
                        t.topic(),
                        new PlannedTopic(
                                t.topic(), Kind.ERRORS, partitions, Map.of("retention.ms", "-1")));
            }
        }
        return new ArrayList<>(topics.values());
    }

    /** The job's configuration with {@code overrides}, validated like the job validates it. */
    static Configuration configuration(TidemarkJob job, Map<String, String> overrides) {
        List<String> args = new ArrayList<>();
        overrides.forEach((k, v) -> args.add("--set=" + k + "=" + v));
        return ConfigLoader.load(JobArgs.parse(args.toArray(String[]::new)), job.options());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates every topic the jobs read and write, with the partitions and retention each"
                        + " needs; a topic that exists is left as it is.",
                "Inputs, late and DLQ topics: retention.ms=-1 (event-time stamps in the past must"
                        + " not expire). Results: cleanup.policy=compact (upsert streams)."
            })
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin LocalClusterOptions cluster;

        @Option(
                names = "--job",
                paramLabel = "JOB",
                completionCandidates = JobRegistry.Names.class,
                description = "Only this job's topics (repeatable; default: every job's).")
        List<String> jobs = new ArrayList<>();

        @Option(
                names = "--partitions",
                defaultValue = "2",
                description = "Partitions of each new topic. Default: ${DEFAULT-VALUE}.")
        int partitions;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                description = "Job configuration that names topics (topics.*), as for submit.")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Override
        public Integer call() {
            CliOptions.atLeast(spec, "--partitions", partitions, 1);
            List<TidemarkJob> selected =
                    jobs.isEmpty() ? JobRegistry.all() : jobs.stream().map(this::job).toList();
            Map<String, String> conf = new LinkedHashMap<>(overrides);
            conf.putIfAbsent("kafka.bootstrap.servers", cluster.bootstrap());
            List<PlannedTopic> plan = plan(selected, conf, partitions);
            PrintWriter out = spec.commandLine().getOut();
            // The kafka.* settings of --set (SASL, TLS, …, ${env:…} resolved), as the jobs' own
            // clients take them.
            TidemarkJob first = selected.get(0);
            java.util.Properties props =
                    TidemarkConfig.from(configuration(first, conf), first.name()).kafkaProperties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            try (Admin admin = Admin.create(props)) {
                out.printf("%-40s %-7s %-10s %s%n", "TOPIC", "KIND", "PARTITIONS", "SETTINGS");
                for (PlannedTopic topic : plan) {
                    boolean created =
                            KafkaTopics.createIfMissing(
                                    admin,
                                    topic.name(),
                                    topic.partitions(),
                                    Optional.empty(),
                                    topic.configs());
                    int actual = KafkaTopics.partitionCount(admin, topic.name());
                    out.printf(
                            "%-40s %-7s %-10d %s%s%n",
                            topic.name(),
                            topic.kind().name().toLowerCase(java.util.Locale.ROOT),
                            actual,
                            topic.configs(),
                            created ? "" : " (existed, left as is)");
                }
            }
            out.flush();
            return 0;
        }

        private TidemarkJob job(String name) {
            try {
                return JobRegistry.byName(name);
            } catch (IllegalArgumentException e) {
                throw CliOptions.invalid(spec, e.getMessage());
            }
        }
    }
}
