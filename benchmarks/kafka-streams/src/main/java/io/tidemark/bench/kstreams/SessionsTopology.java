package io.tidemark.bench.kstreams;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.UserSession;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Tidemark's sessionization query on Kafka Streams: clicks keyed by user, session windows with an
 * inactivity gap and a grace period, one summary per session emitted once the session can no longer
 * change ({@code suppress(untilWindowCloses)}), written as Avro single-object encoded {@link
 * UserSession}s keyed by session id.
 *
 * <p><b>Event time, decoded once.</b> The input value serde decodes the Avro {@link Click}, and
 * {@link ClickEventTime}, the source's {@link TimestampExtractor}, reads {@code eventTime} from the
 * already decoded value: Kafka Streams deserializes a record before it extracts its timestamp
 * ({@code RecordQueue.updateHead}), so the payload is decoded exactly once and the event time
 * drives everything downstream of the source — the task's stream time, session merging, lateness
 * and the suppression buffer — as the payload's event time drives Tidemark's watermarks. The Kafka
 * record timestamp (the producer's time) is never used. A value that does not decode to a Click
 * data record (a failure or a heartbeat), a click without an event time and a record without a key
 * get the timestamp -1, which Kafka Streams skips and counts in {@code dropped-records-total}; the
 * extractor counts them too ({@link #skipped()}).
 *
 * <p>Not in this query (Tidemark's extras): deduplication by event id, validation with a DLQ, the
 * late-data topic, metrics beyond Kafka Streams' own.
 */
final class SessionsTopology {

    static final String STORE = "sessions";

    private final LongAdder skipped = new LongAdder();

    private final String input;
    private final String output;
    private final Duration gap;
    private final Duration grace;

    SessionsTopology(String input, String output, Duration gap, Duration grace) {
        this.input = input;
        this.output = output;
        this.gap = gap;
        this.grace = grace;
    }

    /** Input records skipped because they were no keyed Click with an event time. */
    long skipped() {
        return skipped.sum();
    }

    Topology build() {
        SingleObjectCodec<UserSession> sessions = SingleObjectCodec.of(UserSession.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        input,
                        Consumed.with(Serdes.String(), new ClickSerde())
                                .withTimestampExtractor(new ClickEventTime(skipped))
                                .withName("clicks"))
                // The input is keyed by user: no repartition.
                .groupByKey(Grouped.with("by-user", Serdes.String(), new ClickSerde()))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, grace))
                .aggregate(
                        SessionAgg::new,
                        (userId, click, agg) -> agg.add(click, click.getEventTime().toEpochMilli()),
                        (userId, a, b) -> SessionAgg.merge(a, b),
                        Named.as("session-aggregate"),
                        Materialized.<String, SessionAgg, SessionStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new SessionAgg.AggSerde()))
                .suppress(
                        Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                                .withName("until-session-closes"))
                .toStream(Named.as("closed-sessions"))
                // A merged-away session's tombstone is no session.
                .filter((window, agg) -> agg != null, Named.as("drop-tombstones"))
                .map(
                        (window, agg) -> {
                            UserSession session = agg.toSession(window.key());
                            return KeyValue.pair(session.getSessionId(), sessions.encode(session));
                        },
                        Named.as("to-user-session"))
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("sink"));
        return builder.build();
    }

    /**
     * Decodes Avro single-object encoded clicks; anything that is not a Click data record decodes
     * to null (skipped and counted by {@link ClickEventTime}). Only the deserializer is used: the
     * input is keyed by user, so clicks are never repartitioned.
     */
    static final class ClickSerde implements Serde<Click> {

        private static final SingleObjectCodec<Click> CODEC = SingleObjectCodec.of(Click.class);

        @Override
        public Serializer<Click> serializer() {
            return (topic, click) -> click == null ? null : CODEC.encode(click);
        }

        @Override
        public Deserializer<Click> deserializer() {
            return (topic, bytes) -> {
                Decoded<Click> decoded = CODEC.decode(bytes);
                return decoded.kind() == Decoded.Kind.RECORD ? decoded.record() : null;
            };
        }
    }

    /** The click's own event time; -1 (skip) for what is not a keyed click with one. */
    static final class ClickEventTime implements TimestampExtractor {

        private final LongAdder skipped;

        ClickEventTime(LongAdder skipped) {
            this.skipped = skipped;
        }

        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.key() != null && record.value() instanceof Click click) {
                Instant eventTime = click.getEventTime();
                if (eventTime != null && eventTime.toEpochMilli() >= 0) {
                    return eventTime.toEpochMilli();
                }
            }
            skipped.increment();
            return -1;
        }
    }
}
