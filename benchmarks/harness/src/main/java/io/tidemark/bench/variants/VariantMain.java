package io.tidemark.bench.variants;

/**
 * Runs a variant's body and ends the JVM: exit 0 after it returns, 1 with the stack trace when it
 * throws. Left to itself a JVM whose job failed may keep running on non-daemon client threads until
 * the driver's timeout.
 */
final class VariantMain {

    /** A variant's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private VariantMain() {}

    static void run(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
