package dev.relaycluster.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin API's OpenAPI document as the tests read it (the resource the node serves), with a JSON Schema
 * validator (networknt) over a strict copy of it (see {@link StrictSchemas}): a request or an answer of an
 * operation is checked against the schema the document gives for it. Tests elsewhere may use it too:
 * {@code AdminApiDocument.get().answerProblems("GET", "/admin/api/keys/{id}", status, contentType, body)}.
 */
public final class AdminApiDocument {
  public static final String RESOURCE = "openapi/admin-api.json";
  static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  /** Where the strict copy is registered; nothing is fetched from it. */
  private static final String BASE = "https://relay-cluster.invalid/openapi/admin-api.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile AdminApiDocument instance;

  /** One documented operation; {@code path} as the document writes it, e.g. {@code /admin/api/keys/{id}}. */
  public record Operation(String method, String path, JsonNode node) {
    public String key() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }
  }

  private final byte[] bytes;
  private final JsonNode root;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private AdminApiDocument(byte[] bytes) throws IOException {
    this.bytes = bytes;
    this.root = JSON.readTree(bytes);
    String strict = JSON.writeValueAsString(StrictSchemas.of(root));
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
        b -> b.schemaRegistryConfig(config).schemas(Map.of(BASE, strict)));
  }

  public static AdminApiDocument get() {
    if (instance == null) {
      synchronized (AdminApiDocument.class) {
        if (instance == null) {
          try (InputStream in = AdminApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            instance = new AdminApiDocument(in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return instance;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public JsonNode root() {
    return root;
  }

  /** Every operation, in the document's order. */
  public List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : root.path("paths").properties()) {
      for (String method : METHODS) {
        if (item.getValue().has(method)) {
          out.add(new Operation(method, item.getKey(), item.getValue().get(method)));
        }
      }
    }
    return out;
  }

  public Optional<Operation> operation(String method, String path) {
    return operations().stream()
        .filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path))
        .findFirst();
  }

  /** What is wrong with an answer of {@code method path}: its status undocumented, or its body off-schema. */
  public List<String> answerProblems(String method, String path, int status, String contentType, String body) {
    String where = method.toUpperCase(Locale.ROOT) + " " + path + " → " + status;
    Optional<Operation> op = operation(method, path);
    if (op.isEmpty()) {
      return List.of(where + ": the document has no such operation");
    }
    String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
    JsonNode response = op.get().node().path("responses").get(Integer.toString(status));
    if (response == null) {
      return List.of(where + ": status not documented (documented: " + fieldNames(op.get().node().path("responses"))
          + ")");
    }
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText().substring(1);
      response = at(pointer);
    }
    String media = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    if (!response.path("content").has(media)) {
      return response.has("content") || !body.isEmpty()
          ? List.of(where + ": content type " + media + " not documented (documented: "
              + fieldNames(response.path("content")) + ")")
          : List.of();
    }
    if (!media.equals("application/json")) {
      return List.of();
    }
    return validate(pointer + "/content/application~1json/schema", body, where);
  }

  /** What is wrong with a JSON request body of {@code method path}. */
  public List<String> requestProblems(String method, String path, String body) {
    String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT)
        + "/requestBody/content/application~1json/schema";
    if (at(pointer).isMissingNode()) {
      return List.of(method + " " + path + ": the document has no JSON request body");
    }
    return validate(pointer, body, method + " " + path + " request");
  }

  /** Validates {@code json} against the (strict) schema at the JSON pointer {@code pointer} of the document. */
  public List<String> validate(String pointer, String json, String where) {
    Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
    List<Error> errors = schema.validate(json, InputFormat.JSON);
    List<String> out = new ArrayList<>();
    errors.forEach(e -> out.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage()));
    return out;
  }

  /** The node at a JSON pointer of the document (missing node when there is none). */
  public JsonNode at(String pointer) {
    return root.at(pointer);
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }
}
