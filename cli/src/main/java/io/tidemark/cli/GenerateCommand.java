package io.tidemark.cli;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.OrderGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidemark generate clicks|orders}: seeded sample data as JSON Lines. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes seeded, deterministic sample data as JSON Lines for 'tidemark load'.",
            "clicks: one file (or stdout with -o -). orders: orders.jsonl, products.jsonl and"
                    + " customers.jsonl in the --output directory."
        })
final class GenerateCommand implements Callable<Integer> {

    enum Kind {
        clicks,
        orders
    }

    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "What to generate: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--events",
            defaultValue = "1000",
            description = "Distinct valid clicks, or orders (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--users",
            defaultValue = "50",
            description = "Users (clicks) or customers (orders) (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--products",
            description = "Catalog size (default: 100 for clicks, 20 for orders).")
    Integer products;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description =
                    "Partitions of the target topic; every line gets its _partition"
                            + " (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--start",
            defaultValue = "2026-11-01T00:00:00.000Z",
            description = "Event time of the first record (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(
            names = "--bound-ms",
            defaultValue = "2000",
            description = "clicks: out-of-orderness bound B in ms (default: ${DEFAULT-VALUE}).")
    long boundMs;

    @Option(
            names = "--within-bound-fraction",
            defaultValue = "0.2",
            description = "clicks: fraction out of order but within B (default: ${DEFAULT-VALUE}).")
    double withinBoundFraction;

    @Option(
            names = "--late-fraction",
            defaultValue = "0.02",
            description = "clicks: fraction late by the lateness rule (default: ${DEFAULT-VALUE}).")
    double lateFraction;

    @Option(
            names = "--duplicate-fraction",
            defaultValue = "0.01",
            description = "clicks: fraction re-emitted as duplicates (default: ${DEFAULT-VALUE}).")
    double duplicateFraction;

    @Option(
            names = "--bad-per-reason",
            defaultValue = "0",
            description = "clicks: bad records of each DLQ reason (default: ${DEFAULT-VALUE}).")
    int badPerReason;

    @Option(names = "--no-heartbeats", description = "Do not end each partition with a heartbeat.")
    boolean noHeartbeats;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "-",
            description = "clicks: file, or - for stdout (default). orders: directory.")
    String output;

    @Override
    public Integer call() {
        CliOptions.atLeast(spec, "--events", events, 0);
        CliOptions.atLeast(spec, "--users", users, 1);
        CliOptions.atLeast(spec, "--partitions", partitions, 1);
        if (products != null) {
            CliOptions.atLeast(spec, "--products", products, 1);
        }
        return kind == Kind.clicks ? clicks() : orders();
    }

    private int clicks() {
        CliOptions.atLeast(spec, "--bound-ms", boundMs, 0);
        CliOptions.fraction(spec, "--within-bound-fraction", withinBoundFraction);
        CliOptions.fraction(spec, "--late-fraction", lateFraction);
        CliOptions.fraction(spec, "--duplicate-fraction", duplicateFraction);
        CliOptions.atLeast(spec, "--bad-per-reason", badPerReason, 0);
        if (lateFraction + withinBoundFraction > 1.0) {
            throw CliOptions.invalid(
                    spec, "--late-fraction + --within-bound-fraction must be at most 1");
        }
        ClickGenerator.Spec.Builder builder =
                ClickGenerator.Spec.builder()
                        .seed(seed)
                        .events(events)
                        .users(users)
                        .partitions(partitions)
                        .start(start)
                        .boundMs(boundMs)
                        .fractionWithinBound(withinBoundFraction)
                        .fractionLate(lateFraction)
                        .fractionDuplicates(duplicateFraction)
                        .badPerReason(badPerReason)
                        .heartbeats(!noHeartbeats);
        if (products != null) {
            builder.products(products);
        }
        List<String> lines = ClickGenerator.generate(builder.build());
        if (output.equals("-")) {
            PrintWriter out = spec.commandLine().getOut();
            lines.forEach(out::println);
            out.flush();
        } else {
            Path file = Path.of(output);
            CommittedReader.writeLines(file, lines);
            spec.commandLine().getOut().println("wrote " + lines.size() + " lines to " + file);
        }
        return 0;
    }

    private int orders() {
        for (String clicksOnly :
                List.of(
                        "--bound-ms",
                        "--within-bound-fraction",
                        "--late-fraction",
                        "--duplicate-fraction",
                        "--bad-per-reason")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(clicksOnly)) {
                throw CliOptions.invalid(spec, clicksOnly + " applies to clicks only");
            }
        }
        if (output.equals("-")) {
            throw CliOptions.invalid(
                    spec, "--output must name a directory for orders (it writes three files)");
        }
        OrderGenerator.Spec.Builder builder =
                OrderGenerator.Spec.builder()
                        .seed(seed)
                        .orders(events)
                        .customers(users)
                        .partitions(partitions)
                        .start(start)
                        .heartbeats(!noHeartbeats);
        if (products != null) {
            builder.products(products);
        }
        OrderGenerator.Output generated = OrderGenerator.generate(builder.build());
        Path dir = Path.of(output);
        write(dir.resolve("orders.jsonl"), generated.orders());
        write(dir.resolve("products.jsonl"), generated.products());
        write(dir.resolve("customers.jsonl"), generated.customers());
        return 0;
    }

    private void write(Path file, List<String> lines) {
        CommittedReader.writeLines(file, lines);
        spec.commandLine().getOut().println("wrote " + lines.size() + " lines to " + file);
    }
}
