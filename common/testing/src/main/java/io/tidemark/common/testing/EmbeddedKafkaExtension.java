package io.tidemark.common.testing;

import io.tidemark.common.local.EmbeddedKafka;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker per test class:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * }</pre>
 *
 * <p>{@code @Nested} classes see the same broker: it starts at the outermost class and stops when
 * that class is done.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> brokerProps;
    private EmbeddedKafka kafka;
    private int depth;

    public EmbeddedKafkaExtension() {
        this(Map.of());
    }

    /** With broker settings on top of {@link EmbeddedKafka#defaultBrokerProps()}. */
    public EmbeddedKafkaExtension(Map<String, String> brokerProps) {
        this.brokerProps = Map.copyOf(brokerProps);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            kafka = EmbeddedKafka.start(brokerProps);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--depth == 0 && kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The running broker; fails outside the test class's lifetime. */
    public synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException(
                    "embedded Kafka is not running: register the extension on a static field"
                            + " with @RegisterExtension");
        }
        return kafka;
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        kafka().createTopic(name, partitions);
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        kafka().createTopic(name, partitions, configs);
    }

    public Admin admin() {
        return kafka().admin();
    }
}
