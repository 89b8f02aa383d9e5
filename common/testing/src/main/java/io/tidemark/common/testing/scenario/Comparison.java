package io.tidemark.common.testing.scenario;

import java.util.List;

/**
 * Lines a test compares with an expectation, and the description its assertion carries; the test
 * asserts (e.g. {@code containsExactlyElementsOf}), so the assertion library stays in the tests.
 */
public record Comparison(String description, List<String> actual, List<String> expected) {}
