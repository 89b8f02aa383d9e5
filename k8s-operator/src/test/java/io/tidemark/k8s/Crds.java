package io.tidemark.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's CRD schemas, made strict the way the API server prunes: the CRDs shipped in {@code
 * org.apache.flink:flink-kubernetes-operator-api:1.10.0} (apiextensions.k8s.io/v1), with their
 * {@code flinkVersion} enum extended by the values operator 1.13 adds.
 */
final class Crds {

    private static final List<String> CRDS =
            List.of(
                    "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml",
                    "META-INF/fabric8/flinksessionjobs.flink.apache.org-v1.yml",
                    "META-INF/fabric8/flinkstatesnapshots.flink.apache.org-v1.yml");

    private static final Map<String, JsonSchema> SCHEMAS = load();

    private Crds() {}

    static boolean isFlinkResource(JsonNode doc) {
        return Manifests.text(doc, "apiVersion").startsWith("flink.apache.org/");
    }

    /** Schema errors of one Flink resource; empty when the API server would keep it whole. */
    static List<String> validate(JsonNode resource) {
        String key =
                Manifests.text(resource, "apiVersion") + "/" + Manifests.text(resource, "kind");
        JsonSchema schema = SCHEMAS.get(key);
        if (schema == null) {
            return List.of("no CRD for " + key + " in " + SCHEMAS.keySet());
        }
        Set<ValidationMessage> errors = schema.validate(resource);
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static Map<String, JsonSchema> load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        Map<String, JsonSchema> schemas = new HashMap<>();
        for (String resource : CRDS) {
            JsonNode crd;
            try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the test classpath");
                }
                crd = Manifests.YAML.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode spec = crd.path("spec");
            for (JsonNode version : spec.path("versions")) {
                if (!version.path("served").asBoolean()) {
                    continue;
                }
                ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                addFlinkVersions(schema);
                addObjectMeta(schema);
                strict(schema);
                schemas.put(
                        Manifests.text(spec, "group")
                                + "/"
                                + Manifests.text(version, "name")
                                + "/"
                                + Manifests.text(spec.path("names"), "kind"),
                        factory.getSchema(schema));
            }
        }
        if (!schemas.containsKey("flink.apache.org/v1beta1/FlinkDeployment")) {
            throw new IllegalStateException("no FlinkDeployment v1beta1 schema in " + CRDS);
        }
        return schemas;
    }

    /**
     * The Flink versions the 1.10 CRD does not know yet and operator 1.13's CRD adds (its {@code
     * helm/flink-kubernetes-operator/crds/}): 1.10 is the newest operator API artifact on Maven
     * Central, and its {@code flinkVersion} enum stops at {@code v1_20}. Everything else is
     * validated against 1.10 as shipped.
     */
    private static void addFlinkVersions(ObjectNode schema) {
        JsonNode properties = schema.path("properties").path("spec").path("properties");
        if (properties.path("flinkVersion").path("enum") instanceof ArrayNode values) {
            for (String version : List.of("v2_0", "v2_1", "v2_2")) {
                values.add(version);
            }
        }
    }

    /**
     * apiVersion, kind and metadata are implicit in a CRD's schema; metadata here is the part of
     * ObjectMeta that a manifest may set.
     */
    private static void addObjectMeta(ObjectNode schema) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode properties = (ObjectNode) schema.get("properties");
        properties.set("apiVersion", f.objectNode().put("type", "string"));
        properties.set("kind", f.objectNode().put("type", "string"));
        ObjectNode stringMap =
                f.objectNode()
                        .put("type", "object")
                        .set("additionalProperties", f.objectNode().put("type", "string"));
        ObjectNode metaProperties = f.objectNode();
        metaProperties.set("name", f.objectNode().put("type", "string"));
        metaProperties.set("namespace", f.objectNode().put("type", "string"));
        metaProperties.set("labels", stringMap.deepCopy());
        metaProperties.set("annotations", stringMap.deepCopy());
        ObjectNode metadata = f.objectNode().put("type", "object");
        metadata.set("properties", metaProperties);
        properties.set("metadata", metadata);
    }

    /**
     * Every object schema that neither lists additionalProperties nor preserves unknown fields gets
     * additionalProperties: false (the API server would prune what it does not know); the
     * x-kubernetes-* keywords, which a JSON-schema validator does not know, are dropped once
     * applied.
     */
    private static void strict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        List<String> extensions = new ArrayList<>();
        schema.fieldNames()
                .forEachRemaining(
                        name -> {
                            if (name.startsWith("x-kubernetes-")) {
                                extensions.add(name);
                            }
                        });
        schema.remove(extensions);
        boolean isObject =
                schema.has("properties") || "object".equals(schema.path("type").asText());
        if (isObject && !preserve && !schema.has("additionalProperties")) {
            schema.put("additionalProperties", false);
        }
        for (JsonNode property : schema.path("properties")) {
            strict(property);
        }
        strict(schema.get("additionalProperties"));
        strict(schema.get("items"));
        strict(schema.get("not"));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                strict(branch);
            }
        }
    }
}
