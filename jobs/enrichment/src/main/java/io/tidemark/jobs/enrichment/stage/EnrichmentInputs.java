package io.tidemark.jobs.enrichment.stage;

/** The source topics of the order enrichment stage. */
public record EnrichmentInputs(String orders, String products, String customers) {

    public static EnrichmentInputs defaults() {
        return new EnrichmentInputs("orders", "products", "customers");
    }
}
