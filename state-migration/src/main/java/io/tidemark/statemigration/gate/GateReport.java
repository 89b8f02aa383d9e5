package io.tidemark.statemigration.gate;

import java.util.List;

/** What the compatibility gate concluded about resuming {@code savepoint} with the current job. */
public record GateReport(String job, String savepoint, List<Finding> findings) {

    /** True unless a finding refuses the upgrade. */
    public boolean passes() {
        return findings.stream().noneMatch(f -> f.verdict() == Finding.Verdict.REFUSED);
    }

    public List<Finding> refused() {
        return findings.stream().filter(f -> f.verdict() == Finding.Verdict.REFUSED).toList();
    }

    /** A plain-text report: verdict first, then one line per finding. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(
                passes()
                        ? "COMPATIBLE: " + job + " can resume " + savepoint
                        : "REFUSED: resuming "
                                + savepoint
                                + " with "
                                + job
                                + " would lose or"
                                + " misread state");
        text.append('\n');
        for (Finding finding : findings) {
            text.append("  ").append(finding.render()).append('\n');
        }
        if (findings.isEmpty()) {
            text.append("  every state of the savepoint maps to the same state of the job\n");
        }
        return text.toString();
    }
}
