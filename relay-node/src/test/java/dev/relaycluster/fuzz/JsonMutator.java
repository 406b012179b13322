package dev.relaycluster.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a valid request body into a mutated one: changes on the tree (a value of another type, a field
 * dropped or added, deep nesting, a huge string, a number out of range, an empty container, a duplicate
 * key), then sometimes on the bytes (cut short, trailing garbage, invalid UTF-8, a byte-order mark, or
 * something that is not JSON at all). Raw text that Jackson would not write (1e400, 3,000 nested arrays) is
 * put in as a placeholder string and spliced into the bytes.
 */
final class JsonMutator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> FIELDS = List.of("model", "stream", "max_tokens", "messages", "system",
      "metadata", "user_id", "tools", "tool_choice", "thinking", "input", "instructions", "prompt_cache_key",
      "contents", "generationConfig", "maxOutputTokens", "request", "project", "session_id", "user_prompt_id",
      "role", "content", "parts", "text", "type", "temperature", "stop_sequences", "apiKey", "name");

  /** JSON strings a writer would not make: unpaired surrogates, NUL, bad escapes, a raw tab, an open string. */
  private static final String[] ODD_TEXT = {"\"\\ud800\"", "\"\\udfff\\ud800x\"", "\"claude-\\udc00\"",
      "\"\\ud83c\"", "\"\\u0000\"", "\"\\uZZZZ\"", "\"\\x41\"", "\"\t\"", "\"\\\""};

  private final Junk junk;
  private final Map<String, String> raw = new TreeMap<>();
  private final List<String> applied = new ArrayList<>();
  private final List<String> duplicates = new ArrayList<>();

  JsonMutator(Junk junk) {
    this.junk = junk;
  }

  /** What was done to the last body, for the input's label. */
  String applied() {
    return String.join("+", applied);
  }

  /** {@code seed} mutated (the seed itself is not changed); sometimes left valid to reach the upstream. */
  byte[] mutate(ObjectNode seed) {
    applied.clear();
    raw.clear();
    duplicates.clear();
    ObjectNode tree = seed.deepCopy();
    if (junk.chance(12)) {
      applied.add("valid");
      return write(tree);
    }
    if (junk.chance(8)) {
      return notJson();
    }
    int changes = 1 + junk.below(3);
    for (int i = 0; i < changes; i++) {
      treeChange(tree);
    }
    byte[] body = write(tree);
    return junk.chance(30) ? byteChange(body) : body;
  }

  private void treeChange(ObjectNode tree) {
    List<Slot> slots = new ArrayList<>();
    collect(tree, slots);
    Slot slot = slots.isEmpty() ? new Slot(tree, "model", -1) : junk.pick(slots);
    if (junk.chance(8)) {
      // Text no writer would make (an unpaired surrogate, NUL, a bad escape), often in the model, which the relay
      // keeps in its usage record.
      Slot target = tree.has("model") && junk.chance(50) ? new Slot(tree, "model", -1) : slot;
      applied.add("odd-text:" + target.name());
      target.set(rawText(junk.pick(ODD_TEXT)));
      return;
    }
    // Weighted: a huge string costs every party a lot of bytes, so it is one case in twelve.
    switch (junk.below(12)) {
      case 0, 1, 9 -> {
        applied.add("retype:" + slot.name());
        slot.set(value(2));
      }
      case 2 -> {
        applied.add("drop:" + slot.name());
        slot.remove();
      }
      case 3, 10 -> {
        ObjectNode target = slot.parent() instanceof ObjectNode o ? o : tree;
        String name = junk.chance(70) ? junk.pick(FIELDS) : junk.string();
        applied.add("add:" + name.length());
        target.set(name, value(2));
      }
      case 4 -> {
        int depth = junk.pick(List.of(64, 600, 1_100, 3_000, 20_000));
        applied.add("nest:" + depth);
        boolean arrays = junk.chance(50);
        slot.set(rawText(arrays ? "[".repeat(depth) + "1" + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
      }
      case 5 -> {
        int n = junk.pick(List.of(70_000, 200_000, 300_000));
        applied.add("huge:" + n);
        slot.set(NODES.textNode(junk.letters(n)));
      }
      case 6, 11 -> {
        applied.add("number:" + slot.name());
        slot.set(rawText(junk.numberText()));
      }
      case 7 -> {
        applied.add("empty:" + slot.name());
        slot.set(junk.chance(50) ? NODES.arrayNode() : NODES.objectNode());
      }
      default -> {
        // The same key again, first in the object, with another value.
        String name = slot.field() != null ? slot.field() : "model";
        applied.add("dup:" + name);
        duplicates.add(NODES.textNode(name) + ":" + value(0));
      }
    }
  }

  /** A value of any JSON type, nested at most {@code depth} more levels. */
  private JsonNode value(int depth) {
    int kind = junk.below(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(junk.chance(50));
      case 2 -> NODES.numberNode(junk.random.nextLong());
      case 3 -> rawText(junk.numberText());
      case 4 -> NODES.textNode(junk.string());
      case 5 -> junk.chance(25) ? rawText(junk.pick(ODD_TEXT)) : NODES.textNode(junk.string());
      case 6 -> NODES.numberNode(junk.random.nextDouble() * 1e6 - 5e5);
      case 7 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = junk.below(4); i > 0; i--) {
          a.add(value(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        for (int i = junk.below(4); i > 0; i--) {
          o.set(junk.chance(60) ? junk.pick(FIELDS) : junk.letters(1 + junk.below(10)), value(depth - 1));
        }
        yield o;
      }
    };
  }

  private JsonNode rawText(String text) {
    String key = "@@raw" + raw.size() + "@@";
    raw.put(key, text);
    return NODES.textNode(key);
  }

  private byte[] write(ObjectNode tree) {
    String text;
    try {
      text = JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      // A string Jackson will not write (a lone surrogate): the tree without it.
      applied.add("unwritable");
      text = "{\"model\":\"x\"}";
    }
    if (!duplicates.isEmpty() && text.startsWith("{")) {
      text = "{" + String.join(",", duplicates) + (text.equals("{}") ? "" : ",") + text.substring(1);
    }
    for (Map.Entry<String, String> r : raw.entrySet()) {
      text = text.replace("\"" + r.getKey() + "\"", r.getValue());
    }
    return Junk.utf8(text);
  }

  private byte[] byteChange(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (junk.below(6)) {
      case 0 -> {
        int cut = body.length == 0 ? 0 : junk.below(body.length);
        applied.add("cut:" + cut);
        out.write(body, 0, cut);
      }
      case 1 -> {
        applied.add("trailing");
        out.writeBytes(body);
        out.writeBytes(Junk.utf8(junk.pick(" x", "}", "]", "{}", " \"x\"", ",", "\n{\"model\":1}", "\u0000", "//c")));
      }
      case 2 -> {
        applied.add("bad-utf8");
        int quote = indexOf(body, (byte) '"', junk.below(Math.max(1, body.length)));
        int at = quote < 0 ? body.length : quote + 1;
        out.write(body, 0, at);
        out.writeBytes(junk.invalidUtf8());
        out.write(body, at, body.length - at);
      }
      case 3 -> {
        applied.add("bom");
        out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        out.writeBytes(body);
      }
      case 4 -> {
        applied.add("flip");
        out.writeBytes(body);
        byte[] b = out.toByteArray();
        if (b.length > 0) {
          b[junk.below(b.length)] = (byte) junk.below(256);
        }
        return b;
      }
      default -> {
        applied.add("lenient");
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        text = junk.chance(50) ? text.replace('"', '\'') : "/* c */" + text.replaceFirst("}$", ",}");
        out.writeBytes(Junk.utf8(text));
      }
    }
    return out.toByteArray();
  }

  /** A body that is not a JSON object: empty, a scalar, an array, a form, XML, random bytes. */
  private byte[] notJson() {
    String kind = junk.pick("empty", "blank", "null", "array", "string", "number", "form", "xml", "bytes", "nul");
    applied.add("not-json:" + kind);
    return switch (kind) {
      case "empty" -> new byte[0];
      case "blank" -> Junk.utf8(" \r\n\t ");
      case "null" -> Junk.utf8("null");
      case "array" -> Junk.utf8("[{\"model\":\"x\"}]");
      case "string" -> Junk.utf8("\"" + junk.letters(20) + "\"");
      case "number" -> Junk.utf8(junk.numberText());
      case "form" -> Junk.utf8("model=x&stream=true&messages=hi");
      case "xml" -> Junk.utf8("<?xml version=\"1.0\"?><request><model>x</model></request>");
      case "nul" -> new byte[] {0, 0, 0, 0};
      default -> junk.bytes(1 + junk.below(2_000));
    };
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static void collect(JsonNode node, List<Slot> into) {
    if (node instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(name -> {
        into.add(new Slot(o, name, -1));
        collect(o.get(name), into);
      });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        into.add(new Slot(a, null, i));
        collect(a.get(i), into);
      }
    }
  }

  /** A place in the tree: a field of an object or an element of an array. */
  private record Slot(JsonNode parent, String field, int index) {
    String name() {
      return field != null ? field : "[" + index + "]";
    }

    void set(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(field);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }
}
