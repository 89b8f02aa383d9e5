-- Tidemark read model, version 1: one table per Kafka output, primary keys equal to the Kafka keys.
-- Rows are written by idempotent upserts (INSERT ... ON CONFLICT ... DO UPDATE); every output is a
-- pure function of the input topics, so replays, restarts and backfills converge to the same rows.
-- Applied by Flyway (history table tidemark_schema_history); never edit an applied file: add
-- V<n+1>__<what>.sql instead.

-- sessionization: topic user-sessions, key sessionId
CREATE TABLE user_sessions (
    session_id     text        PRIMARY KEY,
    user_id        text        NOT NULL,
    session_start  timestamptz NOT NULL,
    session_end    timestamptz NOT NULL,
    duration_ms    bigint      NOT NULL CHECK (duration_ms >= 0),
    events         bigint      NOT NULL CHECK (events > 0),
    page_views     bigint      NOT NULL,
    product_views  bigint      NOT NULL,
    add_to_carts   bigint      NOT NULL,
    checkouts      bigint      NOT NULL,
    products       text[]      NOT NULL,
    converted      boolean     NOT NULL,
    CHECK (session_end >= session_start)
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, session_start);

-- enrichment: topic orders-enriched, key orderId; its lines in order_lines, key (orderId, line)
CREATE TABLE orders_enriched (
    order_id                text        PRIMARY KEY,
    customer_id             text        NOT NULL,
    event_time              timestamptz NOT NULL,
    currency                varchar(3)  NOT NULL,
    customer_found          boolean     NOT NULL,
    customer_segment        text,
    customer_region         text,
    customer_version_ts_ms  bigint,
    line_count              integer     NOT NULL CHECK (line_count >= 0)
);
CREATE INDEX orders_enriched_by_customer ON orders_enriched (customer_id, event_time);

CREATE TABLE order_lines (
    order_id               text    NOT NULL REFERENCES orders_enriched (order_id) ON DELETE CASCADE,
    line_no                integer NOT NULL CHECK (line_no >= 0),
    product_id             text    NOT NULL,
    quantity               integer NOT NULL,
    unit_price_minor       bigint  NOT NULL,
    product_found          boolean NOT NULL,
    product_name           text,
    category               text,
    list_price_minor       bigint,
    product_version_ts_ms  bigint,
    PRIMARY KEY (order_id, line_no)
);

-- revenue: topics revenue-1m and revenue-1h, key category|region|currency|windowStart
CREATE TABLE revenue_1m (
    category       text        NOT NULL,
    region         text        NOT NULL,
    currency       varchar(3)  NOT NULL,
    window_start   timestamptz NOT NULL,
    window_end     timestamptz NOT NULL,
    orders         bigint      NOT NULL,
    units          bigint      NOT NULL,
    revenue_minor  bigint      NOT NULL,
    PRIMARY KEY (category, region, currency, window_start),
    CHECK (window_end > window_start)
);
CREATE INDEX revenue_1m_by_time ON revenue_1m (window_start);

CREATE TABLE revenue_1h (LIKE revenue_1m INCLUDING ALL);
