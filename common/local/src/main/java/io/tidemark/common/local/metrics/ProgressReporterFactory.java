package io.tidemark.common.local.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates the {@link ProgressReporter}; named in {@code metrics.reporter.<name>.factory.class}. */
public final class ProgressReporterFactory implements MetricReporterFactory {

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new ProgressReporter();
    }
}
