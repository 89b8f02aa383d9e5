/**
 * Shared pieces of the jobs' scenario and reference-model tests: the hand-worked sample scenarios
 * under {@code sample-data/<job>/} ({@link io.tidemark.common.testing.scenario.SampleScenarios}),
 * one replay per scenario on its own broker ({@link
 * io.tidemark.common.testing.scenario.ScenarioRun}), error envelopes reduced to where the record
 * lived and why ({@link io.tidemark.common.testing.scenario.Position}, {@link
 * io.tidemark.common.testing.scenario.DlqEntry}, {@link
 * io.tidemark.common.testing.scenario.EnvelopeReader}), and short descriptions of how two large
 * results differ ({@link io.tidemark.common.testing.scenario.Differences}).
 *
 * <p>Main code of the testing module so that every job's tests use one copy; it has no assertion
 * library, so the assertions themselves stay in the tests.
 */
package io.tidemark.common.testing.scenario;
