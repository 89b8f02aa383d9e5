package io.tidemark.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The parts of Flink's REST API (the one the web UI uses) the CLI needs: upload and run a jar, list
 * jobs, stop with a savepoint, read a job's vertices and metrics. Errors carry Flink's own message.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final HttpClient http;

    public FlinkRest(String url) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String url() {
        return base.toString().replaceAll("/$", "");
    }

    /** One job as {@code /jobs/overview} lists it. */
    public record JobOverview(String id, String name, String state, long startTime) {}

    /** Task managers registered with the cluster and their slot count. */
    public List<Integer> taskManagerSlots() {
        List<Integer> slots = new ArrayList<>();
        get("taskmanagers")
                .path("taskmanagers")
                .forEach(tm -> slots.add(tm.path("slotsNumber").asInt()));
        return slots;
    }

    /** Whether anything answers on the REST address. */
    public boolean reachable() {
        try {
            send(HttpRequest.newBuilder(base.resolve("config")).GET());
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public String flinkVersion() {
        return get("config").path("flink-version").asText();
    }

    public List<JobOverview> jobs() {
        List<JobOverview> jobs = new ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            jobs.add(
                    new JobOverview(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText(),
                            job.path("start-time").asLong()));
        }
        return jobs;
    }

    /**
     * The running (or restarting, ...) job of that name, if any; not finished or cancelled ones.
     */
    public Optional<JobOverview> activeJob(String name) {
        return jobs().stream()
                .filter(j -> j.name().equals(name))
                .filter(j -> !List.of("FINISHED", "CANCELED", "FAILED").contains(j.state()))
                .findFirst();
    }

    public JsonNode job(String jobId) {
        return get("jobs/" + jobId);
    }

    /** Uploads a jar; returns the id Flink gives it ({@code <uuid>_<name>.jar}). */
    public String uploadJar(Path jar) {
        String boundary = "tidemark-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                    + jar.getFileName()
                                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar + ": " + e.getMessage(), e);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(base.resolve("jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's {@code main} on the JobManager; returns the job id.
     *
     * @param savepoint the savepoint to resume, or null to start empty
     * @param allowNonRestoredState whether state of operators the job no longer has may be dropped
     */
    public String runJar(
            String jarId,
            String entryClass,
            List<String> args,
            String savepoint,
            boolean allowNonRestoredState) {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.set("programArgsList", JSON.valueToTree(args));
        request.put("allowNonRestoredState", allowNonRestoredState);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        return post("jars/" + jarId + "/run", request).path("jobid").asText();
    }

    public void deleteJar(String jarId) {
        send(HttpRequest.newBuilder(base.resolve("jars/" + jarId)).DELETE());
    }

    /**
     * Stops the job with a savepoint, without draining (draining would fire every open window
     * early), and waits for it.
     *
     * @return the savepoint's path
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode request = JSON.createObjectNode();
        request.put("drain", false);
        if (targetDirectory != null) {
            request.put("targetDirectory", targetDirectory);
        }
        String trigger = post("jobs/" + jobId + "/stop", request).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = get("jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IllegalStateException(
                            "stop-with-savepoint of job "
                                    + jobId
                                    + " failed: "
                                    + operation
                                            .path("failure-cause")
                                            .path("stack-trace")
                                            .asText()
                                            .lines()
                                            .findFirst()
                                            .orElse("?"));
                }
                return operation.path("location").asText();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the savepoint of job " + jobId + " did not complete within " + timeout);
            }
            Readiness.pause();
        }
    }

    /**
     * Waits until the job is in {@code state} (e.g. RUNNING, FINISHED); fails on a final other
     * state.
     */
    public void awaitState(String jobId, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String current = job(jobId).path("state").asText();
            if (current.equals(state)) {
                return;
            }
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(current)) {
                throw new IllegalStateException(
                        "job " + jobId + " is " + current + ", not " + state + exceptionOf(jobId));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job " + jobId + " is " + current + " after " + timeout + ", not " + state);
            }
            Readiness.pause();
        }
    }

    /** Waits until every task of the job runs (so its sources read), or fails. */
    public void awaitAllTasksRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(jobId);
            String state = job.path("state").asText();
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new IllegalStateException(
                        "job " + jobId + " is " + state + exceptionOf(jobId));
            }
            boolean allRunning = job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= "RUNNING".equals(vertex.path("status").asText());
            }
            if (allRunning) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job "
                                + jobId
                                + " has tasks not running after "
                                + timeout
                                + exceptionOf(jobId));
            }
            Readiness.pause();
        }
    }

    /** The root cause Flink recorded for the job, as a suffix for error messages. */
    private String exceptionOf(String jobId) {
        try {
            JsonNode root =
                    get("jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
            if (root.size() > 0) {
                return ": "
                        + root.get(0).path("exceptionName").asText()
                        + ": "
                        + root.get(0).path("stacktrace").asText().lines().findFirst().orElse("");
            }
        } catch (IllegalStateException e) {
            // the job may be gone already; the state alone is the message
        }
        return "";
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "no Flink REST API at "
                            + url()
                            + " (is the cluster up? tidemark cluster status)",
                    e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    built.method() + " " + built.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.uri(), e);
        }
        JsonNode answer;
        try {
            answer =
                    response.body().isBlank()
                            ? JSON.createObjectNode()
                            : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    built.uri()
                            + " answered "
                            + response.statusCode()
                            + " with non-JSON: "
                            + response.body(),
                    e);
        }
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(
                    "Flink answered "
                            + response.statusCode()
                            + " to "
                            + built.method()
                            + " "
                            + built.uri().getPath()
                            + ": "
                            + firstLines(answer.path("errors")));
        }
        return answer;
    }

    /** Flink's error list, shortened: the first line of each (they hold whole stack traces). */
    private static String firstLines(JsonNode errors) {
        List<String> lines = new ArrayList<>();
        errors.forEach(
                e ->
                        e.asText()
                                .lines()
                                .filter(l -> !l.isBlank())
                                .filter(
                                        l ->
                                                !l.startsWith("\tat ")
                                                        && !l.startsWith(
                                                                "org.apache.flink.runtime.rest"))
                                .limit(3)
                                .forEach(lines::add));
        return lines.isEmpty() ? errors.toString() : String.join(" | ", lines);
    }
}
