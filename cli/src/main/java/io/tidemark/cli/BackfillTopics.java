package io.tidemark.cli;

import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.kafka.StartPosition;
import io.tidemark.common.runtime.kafka.StopPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** What a backfill asks Kafka before it starts: the size of the range, fresh output topics. */
final class BackfillTopics {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    BackfillTopics(Admin admin) {
        this.admin = admin;
    }

    /** Records between the start and stop positions, summed over every input partition. */
    long recordsInRange(List<JobTopic> inputs, StartPosition start, StopPosition stop)
            throws Exception {
        long total = 0;
        for (JobTopic input : inputs) {
            List<TopicPartition> partitions = partitions(input.topic());
            Map<TopicPartition, Long> first = offsets(partitions, startSpec(start));
            Map<TopicPartition, Long> last = offsets(partitions, stopSpec(stop));
            for (TopicPartition tp : partitions) {
                total += Math.max(0, last.get(tp) - first.get(tp));
            }
        }
        return total;
    }

    /** The end offset of every input partition now. */
    Map<TopicPartition, Long> endOffsets(List<JobTopic> inputs) throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (JobTopic input : inputs) {
            ends.putAll(offsets(partitions(input.topic()), OffsetSpec.latest()));
        }
        return ends;
    }

    int maxPartitions(List<JobTopic> inputs) throws Exception {
        int max = 1;
        for (JobTopic input : inputs) {
            max = Math.max(max, partitions(input.topic()).size());
        }
        return max;
    }

    /**
     * Creates the output topics; refuses topics that already exist, since a backfill must not mix
     * its output with another run's. Retention is off: outputs carry old event times.
     */
    void createFresh(List<JobTopic> topics, int partitions) throws Exception {
        var existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> clash =
                topics.stream().map(JobTopic::topic).filter(existing::contains).toList();
        if (!clash.isEmpty()) {
            throw new IllegalArgumentException(
                    "output topics already exist: "
                            + clash
                            + "; choose another --output-topic-suffix (a backfill writes to fresh"
                            + " topics)");
        }
        List<NewTopic> fresh =
                topics.stream()
                        .map(
                                t ->
                                        new NewTopic(
                                                        t.topic(),
                                                        Optional.of(partitions),
                                                        Optional.empty())
                                                .configs(Map.of("retention.ms", "-1")))
                        .toList();
        admin.createTopics(fresh).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        try {
            TopicDescription description =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(topic);
            return description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(
                    "input topic " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request =
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> found =
                admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> latest = null;
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long offset = found.get(tp).offset();
            if (offset < 0) { // no record at or after the timestamp: the end of the partition
                if (latest == null) {
                    latest = offsets(partitions, OffsetSpec.latest());
                }
                offset = latest.get(tp);
            }
            offsets.put(tp, offset);
        }
        return offsets;
    }

    private static OffsetSpec startSpec(StartPosition start) {
        return switch (start.kind()) {
            case EARLIEST, COMMITTED -> OffsetSpec.earliest();
            case LATEST -> OffsetSpec.latest();
            case TIMESTAMP -> OffsetSpec.forTimestamp(start.at().toEpochMilli());
        };
    }

    private static OffsetSpec stopSpec(StopPosition stop) {
        return switch (stop.kind()) {
            case NONE, LATEST -> OffsetSpec.latest();
            case TIMESTAMP -> OffsetSpec.forTimestamp(stop.at().toEpochMilli());
        };
    }
}
