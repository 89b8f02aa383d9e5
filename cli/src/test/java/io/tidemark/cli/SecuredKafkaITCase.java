package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.kafka.PreflightException;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every Kafka client the project creates takes the same {@code kafka.*} settings. The embedded
 * broker requires SASL/PLAIN on its client listener and authorizes with ACLs; the user {@code
 * tidemark} may do everything except read the brokers' configuration ({@code DescribeConfigs} on
 * the cluster), as in production set-ups that do not grant it:
 *
 * <ul>
 *   <li>{@code tidemark backfill} without credentials fails; with the {@code kafka.*} settings its
 *       admin client, the job's sources and exactly-once sinks and the committed-output reader all
 *       log in, and its output is the live job's; {@code tidemark topics create} takes them too;
 *   <li>a job's {@code main} (enrichment, three sources) runs against it with the same settings,
 *       and its sink preflight, refused the broker's limit, warns and starts ({@code
 *       sink.preflight=TOLERANT}, the default) or refuses to start ({@code STRICT}).
 * </ul>
 */
class SecuredKafkaITCase {

    private static final String USER = "tidemark";
    private static final String PASSWORD = "tidemark-secret";
    private static final Path SESSIONS = Path.of("../sample-data/sessionization/late-beyond-bound");
    private static final Path ENRICHMENT =
            Path.of("../sample-data/enrichment/price-change-between-orders");

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        kafka =
                EmbeddedKafka.startSaslPlain(
                        Map.of(USER, PASSWORD),
                        Map.of(
                                "authorizer.class.name",
                                "org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
        String principal = "User:" + USER;
        List<AclBinding> acls = new ArrayList<>();
        for (ResourceType type :
                List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(acl(type, "*", principal, AclOperation.ALL, AclPermissionType.ALLOW));
        }
        acls.add(
                acl(
                        ResourceType.CLUSTER,
                        "kafka-cluster",
                        principal,
                        AclOperation.ALL,
                        AclPermissionType.ALLOW));
        acls.add(
                acl(
                        ResourceType.CLUSTER,
                        "kafka-cluster",
                        principal,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclPermissionType.DENY));
        kafka.admin().createAcls(acls).all().get(30, TimeUnit.SECONDS);

        kafka.createTopic("clicks", 2);
        JsonLinesLoader.load(
                SESSIONS.resolve("input.jsonl"),
                "clicks",
                "Click",
                kafka.bootstrapServers(),
                credentials());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AclBinding acl(
            ResourceType type,
            String name,
            String principal,
            AclOperation operation,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    /** The user's client settings, without the {@code kafka.} prefix. */
    private static Properties credentials() {
        return EmbeddedKafka.saslPlainClientProperties(USER, PASSWORD);
    }

    /** The same as job configuration: {@code --set kafka.…=…} pairs. */
    private static List<String> kafkaSettings(Properties client) {
        List<String> args = new ArrayList<>();
        client.stringPropertyNames().stream()
                .sorted()
                .forEach(
                        key ->
                                args.addAll(
                                        List.of("--set", "kafka." + key + "=" + client.get(key))));
        return args;
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run tidemark(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tidemark.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> backfillArgs(String suffix) {
        return new ArrayList<>(
                List.of(
                        "backfill",
                        "sessionization",
                        "--bootstrap",
                        kafka.bootstrapServers(),
                        "--execution",
                        "batch",
                        "--output-topic-suffix",
                        suffix));
    }

    private static List<String> expected(Path dir, String file) throws Exception {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
    }

    @Test
    void backfillWithoutCredentialsIsRefused() {
        List<String> args = backfillArgs("-no-credentials");
        args.addAll(
                List.of(
                        "--set", "kafka.default.api.timeout.ms=3000",
                        "--set", "kafka.request.timeout.ms=2000"));
        Run run = tidemark(args);
        assertThat(run.exitCode()).as(run.out()).isNotZero();

        List<String> wrongPassword = backfillArgs("-wrong-password");
        wrongPassword.addAll(
                kafkaSettings(EmbeddedKafka.saslPlainClientProperties(USER, "not-the-password")));
        Run refused = tidemark(wrongPassword);
        assertThat(refused.exitCode()).as(refused.out()).isNotZero();
        assertThat(refused.err()).contains("Authentication failed");
    }

    @Test
    void backfillWithTheKafkaSettingsLogsInWithEveryClient() throws Exception {
        List<String> args = backfillArgs("-secured");
        args.addAll(kafkaSettings(credentials()));

        Run run = tidemark(args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("records in range").contains("Done in");
        assertThat(
                        CommittedReader.canonicalLinesLastPerKey(
                                kafka.bootstrapServers(), "user-sessions-secured", credentials()))
                .isEqualTo(expected(SESSIONS, "expected.jsonl"));
        assertThat(
                        CommittedReader.read(
                                        kafka.bootstrapServers(),
                                        "sessionization-late-secured",
                                        credentials())
                                .size())
                .isEqualTo(expected(SESSIONS, "expected-late.jsonl").size());
    }

    @Test
    void topicsCreateLogsInWithTheKafkaSettings() throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "topics",
                                "create",
                                "--job",
                                "sessionization",
                                "--bootstrap",
                                kafka.bootstrapServers(),
                                "--set",
                                "topics.output-suffix=-created"));
        args.addAll(kafkaSettings(credentials()));

        Run run = tidemark(args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS))
                .contains("user-sessions-created", "sessionization-dlq-created");
    }

    /** The enrichment job's main arguments against the secured broker. */
    private static String[] enrichmentArgs(String suffix, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap",
                                kafka.bootstrapServers(),
                                "--to",
                                "latest",
                                "--output-topic-suffix",
                                suffix,
                                "--set",
                                "parallelism=2",
                                "--set",
                                "checkpoint.interval=1 s",
                                "--set",
                                "source.group-id=enrichment" + suffix));
        args.addAll(kafkaSettings(credentials()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aJobRunsWithTheKafkaSettingsAndItsPreflightToleratesTheMissingAcl() throws Exception {
        EnrichmentJob job = new EnrichmentJob();
        String[] args = enrichmentArgs("-secured");
        var conf = ConfigLoader.load(JobArgs.parse(args), job.options());
        for (JobTopic input : job.inputs(conf)) {
            kafka.createTopic(input.topic(), 2);
            JsonLinesLoader.load(
                    ENRICHMENT.resolve(input.role() + ".jsonl"),
                    input.topic(),
                    input.type(),
                    kafka.bootstrapServers(),
                    credentials());
        }
        List<JobTopic> written = new ArrayList<>(job.resultTopics(conf));
        written.addAll(job.errorTopics(conf));
        written.forEach(t -> kafka.createTopic(t.topic(), 2));

        EnrichmentJob.main(args); // bounded: returns when the input is read and committed

        CommittedReader.awaitSettled(
                kafka.bootstrapServers(),
                written.stream().map(JobTopic::topic).toList(),
                credentials(),
                CommittedReader.DEFAULT_TIMEOUT);
        assertThat(
                        CommittedReader.canonicalLinesLastPerKey(
                                kafka.bootstrapServers(),
                                job.resultTopics(conf).get(0).topic(),
                                credentials()))
                .isEqualTo(expected(ENRICHMENT, "expected.jsonl"));
    }

    @Test
    void aStrictPreflightRefusesToStartWithoutTheDescribeConfigsAcl() {
        assertThatThrownBy(
                        () ->
                                EnrichmentJob.main(
                                        enrichmentArgs(
                                                "-strict", "--set", "sink.preflight=STRICT")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("sink.preflight=STRICT")
                .hasMessageContaining("DescribeConfigs ACL")
                .hasMessageContaining("ClusterAuthorizationException");
    }
}
