package io.tidemark.bench.variants;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** How many records a topic holds, read before a variant starts (not measured). */
final class InputTopic {

    private InputTopic() {}

    /** Every partition's end offset. */
    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic)
            throws ExecutionException, InterruptedException {
        return offsets(bootstrap, topic, OffsetSpec.latest());
    }

    private static Map<TopicPartition, Long> offsets(
            String bootstrap, String topic, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            var partitions =
                    admin.describeTopics(java.util.List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions();
            Map<TopicPartition, OffsetSpec> wanted =
                    partitions.stream()
                            .collect(
                                    Collectors.toMap(
                                            p -> new TopicPartition(topic, p.partition()),
                                            p -> spec));
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listOffsets(wanted)
                    .all()
                    .get()
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        }
    }

    /** Records in the topic: end minus beginning offsets. */
    static long records(String bootstrap, String topic)
            throws ExecutionException, InterruptedException {
        long begin =
                offsets(bootstrap, topic, OffsetSpec.earliest()).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
        long end =
                offsets(bootstrap, topic, OffsetSpec.latest()).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
        return end - begin;
    }
}
