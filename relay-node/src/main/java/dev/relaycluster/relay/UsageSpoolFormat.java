package dev.relaycluster.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.usage.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The line format of the usage spool's files: pure encoding and decoding, no I/O.
 *
 * <p>A file is a sequence of lines, each ending in {@code \n}:
 * <pre>
 *   U &lt;crc&gt; {"spooledAt":…,"leaseId":"…","usage":{…the UsageRecord…}}    a record waiting to land
 *   L &lt;crc&gt; {"requestId":"…"}                                           that record landed
 * </pre>
 * {@code <crc>} is the CRC-32C of the line's kind letter, a space and its JSON (UTF-8), as 8 lowercase hex
 * digits. JSON escapes line breaks, so a record is always one line. A last line without its {@code \n} was
 * torn by a crash while it was written and is skipped (and cut off by the spool before it appends again);
 * a line whose checksum does not match is skipped and counted as corrupt. Unknown fields are ignored, so
 * records written by a newer node still load; a new kind of line gets a new letter.
 */
public final class UsageSpoolFormat {
  static final char WAITING = 'U';
  static final char LANDED = 'L';

  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.ALWAYS)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private UsageSpoolFormat() {}

  /** One decoded line: a record waiting ({@code waiting} set) or a landed request id ({@code landed} set). */
  public record Line(SpooledUsage waiting, String landed) {}

  /**
   * What a file holds: its good lines in order, how many complete lines were corrupt, and how many of its
   * bytes end in a complete line (the rest is a torn last line).
   */
  public record Contents(List<Line> lines, int corrupt, int completeBytes) {
    public boolean torn(int fileBytes) {
      return completeBytes < fileBytes;
    }
  }

  /** The line of a record waiting to land. */
  public static byte[] waiting(SpooledUsage item) {
    ObjectNode json = JSON.createObjectNode();
    json.put("spooledAt", item.spooledAt());
    json.put("leaseId", item.leaseId());
    json.set("usage", JSON.valueToTree(item.usage()));
    return line(WAITING, json);
  }

  /** The line saying the record of {@code requestId} landed. */
  public static byte[] landed(String requestId) {
    return line(LANDED, JSON.createObjectNode().put("requestId", requestId));
  }

  private static byte[] line(char kind, JsonNode json) {
    String body;
    try {
      body = JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a spool line could not be encoded", e);
    }
    String checked = kind + " " + body;
    return (kind + " " + crc(checked) + " " + body + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes a whole file. */
  public static Contents read(byte[] file) {
    List<Line> lines = new ArrayList<>();
    int corrupt = 0;
    int start = 0;
    int complete = 0;
    for (int i = 0; i < file.length; i++) {
      if (file[i] != '\n') {
        continue;
      }
      String text = new String(file, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      complete = start;
      if (text.isEmpty()) {
        continue;
      }
      Line line = decode(text);
      if (line == null) {
        corrupt++;
      } else {
        lines.add(line);
      }
    }
    return new Contents(List.copyOf(lines), corrupt, complete);
  }

  /** One line without its {@code \n}; null when it is not a well-formed line with a matching checksum. */
  public static Line decode(String text) {
    // "K " + 8 hex digits + " " + JSON
    if (text.length() < 12 || text.charAt(1) != ' ' || text.charAt(10) != ' ') {
      return null;
    }
    char kind = text.charAt(0);
    String crc = text.substring(2, 10);
    String body = text.substring(11);
    if (!crc.equals(crc(kind + " " + body))) {
      return null;
    }
    try {
      JsonNode json = JSON.readTree(body);
      if (kind == WAITING) {
        UsageRecord usage = JSON.treeToValue(json.get("usage"), UsageRecord.class);
        JsonNode lease = json.get("leaseId");
        if (usage == null || usage.requestId() == null || usage.keyId() == null) {
          return null;
        }
        return new Line(new SpooledUsage(lease == null || lease.isNull() ? null : lease.asText(), usage,
            json.path("spooledAt").asLong()), null);
      }
      if (kind == LANDED && json.hasNonNull("requestId")) {
        return new Line(null, json.get("requestId").asText());
      }
      return null;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String crc(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }
}
