package dev.relaycluster.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether a channel accepted a delivery. Besides a non-2xx status, several channels answer 200 with
 * an error in the body: Feishu {@code code != 0}, DingTalk and WeCom {@code errcode != 0}, Telegram
 * {@code ok: false}, Bark {@code code != 200}. Pure.
 */
public final class ChannelAnswers {
  private static final int MAX_QUOTED = 200;

  private ChannelAnswers() {}

  /** Empty when delivered; otherwise why not, in a short sentence quoting the channel's answer. */
  public static Optional<String> failure(Channel channel, int status, String body) {
    if (status < 200 || status >= 300) {
      return Optional.of("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + quote(body)));
    }
    JsonNode json = parse(body);
    return switch (channel) {
      case FEISHU -> {
        JsonNode code = json.has("code") ? json.get("code") : json.get("StatusCode");
        yield code != null && code.asInt(0) != 0
            ? Optional.of("Feishu code " + code.asText() + ": " + quote(json.path("msg").asText(json.path("StatusMessage").asText())))
            : Optional.empty();
      }
      case DINGTALK, WECOM -> json.has("errcode") && json.get("errcode").asInt(0) != 0
          ? Optional.of((channel == Channel.DINGTALK ? "DingTalk" : "WeCom") + " errcode " + json.get("errcode").asText()
              + ": " + quote(json.path("errmsg").asText()))
          : Optional.empty();
      case TELEGRAM -> json.path("ok").asBoolean(false)
          ? Optional.empty()
          : Optional.of("Telegram ok=false: " + quote(json.path("description").asText(body == null ? "" : body)));
      case BARK -> json.has("code") && json.get("code").asInt(200) != 200
          ? Optional.of("Bark code " + json.get("code").asText() + ": " + quote(json.path("message").asText()))
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return AlertPayloads.JSON.createObjectNode();
    }
    try {
      JsonNode node = AlertPayloads.JSON.readTree(body);
      return node == null || !node.isObject() ? AlertPayloads.JSON.createObjectNode() : node;
    } catch (IOException e) {
      return AlertPayloads.JSON.createObjectNode();
    }
  }

  private static String quote(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "…";
  }
}
