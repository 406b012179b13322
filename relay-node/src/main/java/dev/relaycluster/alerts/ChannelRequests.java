package dev.relaycluster.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The HTTP request that delivers an alert to an HTTP channel (every channel but SMTP). Pure. */
public final class ChannelRequests {
  private ChannelRequests() {}

  /**
   * @param nowMillis the signing time (each attempt signs afresh, since Feishu and DingTalk refuse
   *     signatures older than an hour)
   */
  public static ChannelRequest build(WebhookTarget target, AccountAlert alert, long nowMillis) {
    String url = target.setting("url");
    String secret = target.setting("secret");
    boolean signed = secret != null && !secret.isEmpty();
    Map<String, String> headers = new HashMap<>();
    ObjectNode body;
    switch (target.channel()) {
      case WEBHOOK -> body = AlertPayloads.generic(alert);
      case SLACK -> body = AlertPayloads.slack(alert);
      case DISCORD -> body = AlertPayloads.discord(alert);
      case FEISHU -> body = AlertPayloads.feishu(alert, secret, nowMillis / 1000);
      case DINGTALK -> {
        body = AlertPayloads.dingTalk(alert);
        if (signed) {
          url = url + (url.contains("?") ? "&" : "?") + "timestamp=" + nowMillis + "&sign="
              + AlertSigning.dingTalk(secret, nowMillis);
        }
      }
      case WECOM -> body = AlertPayloads.weCom(alert);
      case TELEGRAM -> {
        body = AlertPayloads.telegram(alert, target.setting("chatId"));
        url = withoutTrailingSlash(target.setting("apiBase")) + "/bot" + target.setting("botToken") + "/sendMessage";
      }
      case BARK -> {
        body = AlertPayloads.bark(alert, target.setting("deviceKey"), target.setting("group"));
        url = withoutTrailingSlash(target.setting("serverUrl")) + "/push";
      }
      default -> throw new IllegalArgumentException(target.channel().wireName() + " is not delivered over HTTP");
    }
    byte[] bytes = bytes(body);
    if (target.channel() == Channel.WEBHOOK && signed) {
      long seconds = nowMillis / 1000;
      headers.put("X-Relay-Timestamp", Long.toString(seconds));
      headers.put("X-Relay-Signature", AlertSigning.generic(secret, seconds, bytes));
    }
    return new ChannelRequest(URI.create(url), headers, bytes);
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return AlertPayloads.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an alert", e);
    }
  }
}
