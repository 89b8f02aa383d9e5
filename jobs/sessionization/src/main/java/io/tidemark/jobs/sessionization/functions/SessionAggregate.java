package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.schemas.Click;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds clicks into a {@link SessionAccumulator} incrementally; merges when sessions merge. */
public final class SessionAggregate
        implements AggregateFunction<Click, SessionAccumulator, SessionAccumulator> {

    private static final long serialVersionUID = 1L;

    @Override
    public SessionAccumulator createAccumulator() {
        return new SessionAccumulator();
    }

    @Override
    public SessionAccumulator add(Click click, SessionAccumulator acc) {
        long eventTime = click.getEventTime().toEpochMilli();
        acc.start = Math.min(acc.start, eventTime);
        acc.end = Math.max(acc.end, eventTime);
        acc.events++;
        switch (click.getType()) {
            case PAGE_VIEW -> acc.pageViews++;
            case PRODUCT_VIEW -> acc.productViews++;
            case ADD_TO_CART -> acc.addToCarts++;
            case CHECKOUT -> acc.checkouts++;
        }
        String product = click.getProductId();
        if (product != null && !product.isEmpty()) {
            int at = Collections.binarySearch(acc.products, product);
            if (at < 0) {
                acc.products.add(-at - 1, product);
            }
        }
        return acc;
    }

    @Override
    public SessionAccumulator getResult(SessionAccumulator acc) {
        return acc;
    }

    @Override
    public SessionAccumulator merge(SessionAccumulator a, SessionAccumulator b) {
        SessionAccumulator merged = new SessionAccumulator();
        merged.start = Math.min(a.start, b.start);
        merged.end = Math.max(a.end, b.end);
        merged.events = a.events + b.events;
        merged.pageViews = a.pageViews + b.pageViews;
        merged.productViews = a.productViews + b.productViews;
        merged.addToCarts = a.addToCarts + b.addToCarts;
        merged.checkouts = a.checkouts + b.checkouts;
        TreeSet<String> products = new TreeSet<>(a.products);
        products.addAll(b.products);
        merged.products = new ArrayList<>(products);
        return merged;
    }

    /** Distinct sorted products, for callers that want an unmodifiable view. */
    static List<String> products(SessionAccumulator acc) {
        return List.copyOf(acc.products);
    }
}
