package io.tidemark.common.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.schemas.Click;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputSuffixTest {

    private static TidemarkConfig config(String suffix) {
        return TidemarkConfig.from(
                ConfigLoader.validate(
                        Map.of("kafka.bootstrap.servers", "b:9092", "topics.output-suffix", suffix),
                        List.of(),
                        Map.of()),
                "job");
    }

    @Test
    void suffixGoesOnEveryWrittenTopicAndTheTransactionalIds() {
        TidemarkConfig config = config("-backfill-1");

        OutputSink<Click> sink =
                KafkaOutputs.sink("out", Click.class)
                        .topic("results")
                        .key(Click::getEventId)
                        .timestamp(c -> 0L)
                        .config(config)
                        .build();
        OutputSink<?> late = KafkaOutputs.envelopes("late", config.lateTopic(), config);

        assertThat(sink.topic()).isEqualTo("results-backfill-1");
        assertThat(late.topic()).isEqualTo("job-late-backfill-1");
        assertThat(config.dlqTopic()).isEqualTo("job-dlq-backfill-1");
        assertThat(sink.transactionalIdPrefix()).isEqualTo("job-backfill-1-out");
    }

    @Test
    void liveRunsHaveNoSuffix() {
        TidemarkConfig config = config("");
        assertThat(config.lateTopic()).isEqualTo("job-late");
        assertThat(config.outputTopic("results")).isEqualTo("results");
    }

    @Test
    void suffixWithCharactersKafkaRejectsFailsAtStart() {
        assertThatThrownBy(() -> config("/x"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'topics.output-suffix'");
    }
}
