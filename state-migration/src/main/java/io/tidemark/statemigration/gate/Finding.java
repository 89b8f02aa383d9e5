package io.tidemark.statemigration.gate;

/**
 * One thing the compatibility gate found about one operator (or the whole job when {@code uid} is
 * null).
 */
public record Finding(Verdict verdict, String uid, String state, String message) {

    /** How a finding weighs on the upgrade. */
    public enum Verdict {
        /** The upgrade would lose or misread state: the gate refuses it. */
        REFUSED,
        /** State is dropped, as the user explicitly allowed. */
        ALLOWED,
        /** Worth knowing, harmless: new state starting empty, state Flink migrates on restore. */
        NOTE
    }

    public String render() {
        StringBuilder line = new StringBuilder(String.format("%-8s", verdict));
        if (uid != null) {
            line.append(' ').append(uid);
            if (state != null) {
                line.append(" / ").append(state);
            }
            line.append(':');
        }
        return line.append(' ').append(message).toString();
    }
}
