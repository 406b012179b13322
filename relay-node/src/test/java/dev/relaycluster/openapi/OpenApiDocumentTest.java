package dev.relaycluster.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin API document on its own: the OpenAPI 3.1 structure (the library has no OpenAPI document
 * meta-schema, so the rules that matter are checked here), every {@code $ref} resolves, every schema is a
 * valid JSON Schema 2020-12 (against the meta-schema the library carries), and every example matches its
 * schema.
 */
class OpenApiDocumentTest {
  private static final Set<String> PATH_ITEM_FIELDS = Set.of("summary", "description", "parameters", "servers",
      "get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|XX)|default");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

  private final AdminApiDocument doc = AdminApiDocument.get();
  private final JsonNode root = doc.root();

  @Test
  void isAnOpenApi31Document() {
    assertEquals("3.1.0", root.path("openapi").asText());
    assertFalse(root.path("info").path("title").asText().isBlank(), "info.title");
    assertFalse(root.path("info").path("version").asText().isBlank(), "info.version");
    assertTrue(root.path("paths").size() > 0, "paths");
    List<String> problems = new ArrayList<>();
    Set<String> tags = new HashSet<>();
    root.path("tags").forEach(t -> tags.add(t.path("name").asText()));
    Set<String> operationIds = new HashSet<>();
    for (Map.Entry<String, JsonNode> item : root.path("paths").properties()) {
      String path = item.getKey();
      if (!path.startsWith("/")) {
        problems.add(path + ": a path starts with /");
      }
      item.getValue().fieldNames().forEachRemaining(f -> {
        if (!PATH_ITEM_FIELDS.contains(f)) {
          problems.add(path + ": " + f + " is not a path item field");
        }
      });
    }
    for (AdminApiDocument.Operation op : doc.operations()) {
      String where = op.key();
      JsonNode responses = op.node().path("responses");
      if (!responses.isObject() || responses.isEmpty()) {
        problems.add(where + ": no responses");
      }
      responses.properties().forEach(r -> {
        if (!STATUS.matcher(r.getKey()).matches()) {
          problems.add(where + ": " + r.getKey() + " is not a status");
        }
        JsonNode response = resolve(r.getValue());
        if (!response.path("description").isTextual()) {
          problems.add(where + " " + r.getKey() + ": a response needs a description");
        }
        response.path("content").forEach(m -> {
          if (!m.has("schema")) {
            problems.add(where + " " + r.getKey() + ": content without a schema");
          }
        });
      });
      if (!operationIds.add(op.node().path("operationId").asText(""))) {
        problems.add(where + ": operationId missing or not unique");
      }
      op.node().path("tags").forEach(t -> {
        if (!tags.contains(t.asText())) {
          problems.add(where + ": tag " + t.asText() + " is not declared");
        }
      });
      op.node().path("requestBody").path("content").forEach(m -> {
        if (!m.has("schema")) {
          problems.add(where + ": request content without a schema");
        }
      });
      problems.addAll(pathParameterProblems(op));
      securityProblems(op.node().path("security"), where, problems);
    }
    securityProblems(root.path("security"), "document", problems);
    assertEquals(List.of(), problems);
  }

  /** Every {name} of the path is a required path parameter, and no path parameter is left over. */
  private List<String> pathParameterProblems(AdminApiDocument.Operation op) {
    Set<String> inTemplate = new TreeSet<>();
    Matcher m = TEMPLATE.matcher(op.path());
    while (m.find()) {
      inTemplate.add(m.group(1));
    }
    Set<String> declared = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    List<JsonNode> parameters = new ArrayList<>();
    doc.at("/paths/" + AdminApiDocument.escape(op.path()) + "/parameters").forEach(parameters::add);
    op.node().path("parameters").forEach(parameters::add);
    for (JsonNode p : parameters) {
      JsonNode param = resolve(p);
      if (!param.path("name").isTextual() || !param.path("in").isTextual() || !param.has("schema")) {
        problems.add(op.key() + ": a parameter needs name, in and schema");
      }
      if (param.path("in").asText().equals("path")) {
        declared.add(param.path("name").asText());
        if (!param.path("required").asBoolean(false)) {
          problems.add(op.key() + ": path parameter " + param.path("name").asText() + " must be required");
        }
      }
    }
    if (!inTemplate.equals(declared)) {
      problems.add(op.key() + ": path parameters " + declared + " do not match the template's " + inTemplate);
    }
    return problems;
  }

  private void securityProblems(JsonNode requirements, String where, List<String> problems) {
    requirements.forEach(req -> req.fieldNames().forEachRemaining(name -> {
      if (!root.path("components").path("securitySchemes").has(name)) {
        problems.add(where + ": security scheme " + name + " is not declared");
      }
    }));
  }

  @Test
  void everyReferenceResolves() {
    List<String> problems = new ArrayList<>();
    int[] refs = {0};
    walk(root, "", (pointer, node) -> {
      JsonNode ref = node.get("$ref");
      if (ref == null || !ref.isTextual()) {
        return;
      }
      refs[0]++;
      String target = ref.asText();
      if (!target.startsWith("#/")) {
        problems.add(pointer + ": only references inside the document (" + target + ")");
      } else if (doc.at(target.substring(1)).isMissingNode()) {
        problems.add(pointer + ": " + target + " does not resolve");
      }
    });
    assertTrue(refs[0] > 50, "the document reuses its parts through $ref (" + refs[0] + ")");
    assertEquals(List.of(), problems);
  }

  @Test
  void everySchemaIsAValidJsonSchema() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema meta = registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    List<String> problems = new ArrayList<>();
    int[] checked = {0};
    walk(root, "", (pointer, node) -> {
      if (!pointer.endsWith("/schema") && !pointer.matches("/components/schemas/[^/]+")) {
        return;
      }
      checked[0]++;
      meta.validate(node.toString(), InputFormat.JSON)
          .forEach(e -> problems.add(pointer + ": " + e.getInstanceLocation() + " " + e.getMessage()));
    });
    assertTrue(checked[0] > 100, "schemas checked: " + checked[0]);
    assertEquals(List.of(), problems);
    // The meta-schema does refuse a broken schema, so the check above can fail.
    assertFalse(meta.validate("{\"type\": \"strnig\", \"required\": \"name\"}", InputFormat.JSON).isEmpty());
  }

  @Test
  void everyExampleMatchesItsSchema() {
    List<String> problems = new ArrayList<>();
    int[] checked = {0};
    walk(root, "", (pointer, node) -> {
      boolean mediaType = pointer.matches(".*/content/[^/]+") && node.has("schema");
      boolean parameter = node.has("in") && node.has("schema");
      if (!mediaType && !parameter) {
        return;
      }
      String schema = pointer + "/schema";
      if (node.has("example")) {
        checked[0]++;
        problems.addAll(doc.validate(schema, node.get("example").toString(), pointer + "/example"));
      }
      node.path("examples").properties().forEach(e -> {
        checked[0]++;
        problems.addAll(doc.validate(schema, e.getValue().path("value").toString(),
            pointer + "/examples/" + e.getKey()));
      });
      node.path("schema").path("examples").forEach(e -> {
        checked[0]++;
        problems.addAll(doc.validate(schema, e.toString(), pointer + "/schema/examples"));
      });
    });
    assertTrue(checked[0] > 40, "examples checked: " + checked[0]);
    assertEquals(List.of(), problems);
  }

  @Test
  void theStrictCopyRefusesWhatTheDocumentDoesNotName() {
    String schema = "/components/responses/NotFound/content/application~1json/schema";
    assertEquals(List.of(), doc.validate(schema, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"x\"}}", "ok"));
    assertFalse(doc.validate(schema, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"x\",\"extra\":1}}", "x")
        .isEmpty(), "a field the document does not name");
    assertFalse(doc.validate(schema, "{\"error\":{\"type\":\"not_found_error\"}}", "x").isEmpty(), "a missing field");
    String keys = "/paths/~1admin~1api~1keys/get/responses/200/content/application~1json/schema";
    JsonNode example = doc.at("/paths/~1admin~1api~1keys/get/responses/200/content/application~1json/example")
        .deepCopy();
    assertEquals(List.of(), doc.validate(keys, example.toString(), "keys"));
    ((ObjectNode) example.get("data").get(0)).put("hash", "ab12");
    assertFalse(doc.validate(keys, example.toString(), "keys").isEmpty(), "an undocumented field of a key");
    assertFalse(doc.validate("/components/schemas/LoginAnswer", "{\"token\":\"t\",\"expiresAt\":\"tomorrow\"}", "x")
        .isEmpty(), "formats are asserted");
  }

  private JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
  }

  /** Calls {@code visit} with every object of the tree and its JSON pointer. */
  private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visit) {
    if (node.isObject()) {
      visit.accept(pointer, node);
      node.properties().forEach(e -> walk(e.getValue(), pointer + "/" + AdminApiDocument.escape(e.getKey()), visit));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, visit);
      }
    }
  }
}
