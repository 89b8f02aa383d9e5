package io.tidemark.common.local;

import java.util.List;

/**
 * Names shared by the generators, so that clicks, orders and the product and customer changelogs of
 * one seed talk about the same products and people.
 */
public final class Catalog {

    public static final List<String> CATEGORIES =
            List.of("books", "electronics", "garden", "kitchen", "sports", "toys");
    public static final List<String> SEGMENTS = List.of("new", "regular", "vip");
    public static final List<String> REGIONS = List.of("EU", "NA", "UK", "APAC");
    public static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");
    public static final List<String> PAGES =
            List.of(
                    "/",
                    "/search",
                    "/deals",
                    "/account",
                    "/help",
                    "/category/books",
                    "/category/electronics",
                    "/category/garden",
                    "/category/kitchen",
                    "/category/sports",
                    "/category/toys");

    private Catalog() {}

    /** {@code p-0001} for 1; product numbers start at 1. */
    public static String productId(int number) {
        return padded("p-", number, 4);
    }

    /** {@code user-0001} for 1; the click stream's users. */
    public static String userId(int number) {
        return padded("user-", number, 4);
    }

    /** {@code cust-0001} for 1; the order stream's customers. */
    public static String customerId(int number) {
        return padded("cust-", number, 4);
    }

    static String padded(String prefix, long number, int width) {
        String digits = Long.toString(number);
        StringBuilder out = new StringBuilder(prefix.length() + Math.max(width, digits.length()));
        out.append(prefix);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits).toString();
    }
}
