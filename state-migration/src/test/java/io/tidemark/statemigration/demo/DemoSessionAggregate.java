package io.tidemark.statemigration.demo;

import io.tidemark.common.schemas.Click;
import java.util.ArrayList;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.AggregateFunction;

/** The sessionization fold on an Avro session state, so the state can evolve by Avro's rules. */
final class DemoSessionAggregate
        implements AggregateFunction<Click, DemoSessionState, DemoSessionState> {

    private static final long serialVersionUID = 1L;

    @Override
    public DemoSessionState createAccumulator() {
        return DemoSessionState.newBuilder()
                .setStart(Long.MAX_VALUE)
                .setEnd(Long.MIN_VALUE)
                .setEvents(0)
                .setPageViews(0)
                .setProductViews(0)
                .setAddToCarts(0)
                .setCheckouts(0)
                .setProducts(new ArrayList<>())
                .setCategoryViews(0)
                .build();
    }

    @Override
    public DemoSessionState add(Click click, DemoSessionState acc) {
        long eventTime = click.getEventTime().toEpochMilli();
        acc.setStart(Math.min(acc.getStart(), eventTime));
        acc.setEnd(Math.max(acc.getEnd(), eventTime));
        acc.setEvents(acc.getEvents() + 1);
        switch (click.getType()) {
            case PAGE_VIEW -> acc.setPageViews(acc.getPageViews() + 1);
            case PRODUCT_VIEW -> acc.setProductViews(acc.getProductViews() + 1);
            case ADD_TO_CART -> acc.setAddToCarts(acc.getAddToCarts() + 1);
            case CHECKOUT -> acc.setCheckouts(acc.getCheckouts() + 1);
        }
        if (click.getPage() != null && click.getPage().startsWith("/category")) {
            acc.setCategoryViews(acc.getCategoryViews() + 1);
        }
        String product = click.getProductId();
        if (product != null && !product.isEmpty()) {
            TreeSet<String> products = new TreeSet<>(acc.getProducts());
            products.add(product);
            acc.setProducts(new ArrayList<>(products));
        }
        return acc;
    }

    @Override
    public DemoSessionState getResult(DemoSessionState acc) {
        return acc;
    }

    @Override
    public DemoSessionState merge(DemoSessionState a, DemoSessionState b) {
        TreeSet<String> products = new TreeSet<>(a.getProducts());
        products.addAll(b.getProducts());
        return DemoSessionState.newBuilder()
                .setStart(Math.min(a.getStart(), b.getStart()))
                .setEnd(Math.max(a.getEnd(), b.getEnd()))
                .setEvents(a.getEvents() + b.getEvents())
                .setPageViews(a.getPageViews() + b.getPageViews())
                .setProductViews(a.getProductViews() + b.getProductViews())
                .setAddToCarts(a.getAddToCarts() + b.getAddToCarts())
                .setCheckouts(a.getCheckouts() + b.getCheckouts())
                .setProducts(new ArrayList<>(products))
                .setCategoryViews(a.getCategoryViews() + b.getCategoryViews())
                .build();
    }
}
