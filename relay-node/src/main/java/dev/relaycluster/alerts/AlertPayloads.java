package dev.relaycluster.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON body each channel expects, built from the channel's documented message format. Pure:
 * the same alert and timestamp give the same bytes.
 */
public final class AlertPayloads {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Discord embed colours: red for trouble, green for recovery, blue for tests. */
  private static final int RED = 0xD93F0B;
  private static final int GREEN = 0x2EA043;
  private static final int BLUE = 0x1F6FEB;

  private AlertPayloads() {}

  /**
   * Our own schema: {@code {"type":"account_alert","kind":"rate_limited","accountId","accountName",
   * "platform","detail","at":ISO-8601,"until":ISO-8601 or null,"title","text"}}.
   */
  public static ObjectNode generic(AccountAlert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "account_alert").put("kind", AlertText.kindName(alert.kind()))
        .put("accountId", alert.accountId()).put("accountName", alert.accountName())
        .put("platform", alert.platform()).put("detail", alert.detail())
        .put("at", Instant.ofEpochMilli(alert.at()).toString());
    if (alert.until() > 0) {
      n.put("until", Instant.ofEpochMilli(alert.until()).toString());
    } else {
      n.putNull("until");
    }
    n.put("title", AlertText.title(alert)).put("text", AlertText.plain(alert));
    return n;
  }

  /** Slack incoming webhook: {@code text} (the notification fallback) plus header and section blocks. */
  public static ObjectNode slack(AccountAlert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("text", AlertText.title(alert));
    ArrayNode blocks = n.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(AlertText.title(alert), 150));
    StringBuilder md = new StringBuilder();
    for (AlertText.Line line : AlertText.lines(alert)) {
      md.append(md.isEmpty() ? "" : "\n").append('*').append(slackEscape(line.label())).append(":* ")
          .append(slackEscape(line.value()));
    }
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
        .put("text", truncate(md.toString(), 3000));
    return n;
  }

  /** Discord webhook: one embed with the lines as fields; mentions disabled. */
  public static ObjectNode discord(AccountAlert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("username", "Relay Cluster");
    n.putObject("allowed_mentions").putArray("parse");
    ObjectNode embed = n.putArray("embeds").addObject();
    embed.put("title", truncate(AlertText.title(alert), 256));
    embed.put("color", switch (alert.kind()) {
      case RECOVERED -> GREEN;
      case TEST -> BLUE;
      default -> RED;
    });
    ArrayNode fields = embed.putArray("fields");
    for (AlertText.Line line : AlertText.lines(alert)) {
      fields.addObject().put("name", line.label()).put("value", truncate(line.value(), 1024))
          .put("inline", !line.label().equals("Detail"));
    }
    embed.put("timestamp", Instant.ofEpochMilli(alert.at()).toString());
    return n;
  }

  /** Feishu/Lark custom bot text message; with a secret, {@code timestamp} and {@code sign} are added. */
  public static ObjectNode feishu(AccountAlert alert, String secret, long timestampSeconds) {
    ObjectNode n = JSON.createObjectNode();
    if (secret != null && !secret.isEmpty()) {
      n.put("timestamp", Long.toString(timestampSeconds)).put("sign", AlertSigning.feishu(secret, timestampSeconds));
    }
    n.put("msg_type", "text");
    n.putObject("content").put("text", AlertText.plain(alert));
    return n;
  }

  /** DingTalk custom robot text message (the signature goes into the URL). */
  public static ObjectNode dingTalk(AccountAlert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("msgtype", "text");
    n.putObject("text").put("content", AlertText.plain(alert));
    return n;
  }

  /** WeCom (WeChat Work) group robot text message; its content may be at most 2048 UTF-8 bytes. */
  public static ObjectNode weCom(AccountAlert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("msgtype", "text");
    n.putObject("text").put("content", truncateUtf8(AlertText.plain(alert), 2048));
    return n;
  }

  /** Telegram Bot API sendMessage, plain text (no parse mode, so nothing needs escaping). */
  public static ObjectNode telegram(AccountAlert alert, String chatId) {
    ObjectNode n = JSON.createObjectNode();
    n.put("chat_id", chatId).put("text", truncate(AlertText.plain(alert), 4096))
        .put("disable_web_page_preview", true);
    return n;
  }

  /** Bark server {@code POST /push} (API v2). */
  public static ObjectNode bark(AccountAlert alert, String deviceKey, String group) {
    ObjectNode n = JSON.createObjectNode();
    StringBuilder body = new StringBuilder();
    for (AlertText.Line line : AlertText.lines(alert)) {
      body.append(body.isEmpty() ? "" : "\n").append(line.label()).append(": ").append(line.value());
    }
    n.put("device_key", deviceKey).put("title", AlertText.title(alert)).put("body", body.toString())
        .put("group", group);
    return n;
  }

  /** Slack mrkdwn needs &, < and > escaped. */
  static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String truncateUtf8(String text, int maxBytes) {
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= maxBytes) {
      return text;
    }
    int end = Math.min(text.length(), maxBytes);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    while (end > 0 && (text.substring(0, end) + "…").getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
      end = Character.isLowSurrogate(text.charAt(end - 1)) && end > 1 ? end - 2 : end - 1;
    }
    return text.substring(0, end) + "…";
  }

  static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
