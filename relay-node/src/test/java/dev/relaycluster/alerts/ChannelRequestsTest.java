package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each channel's payload and URL, checked field by field against the channel's documented format. */
class ChannelRequestsTest {
  private static final long NOW = 1_763_780_000_123L;
  private static final AccountAlert ALERT = new AccountAlert(AlertKind.RATE_LIMITED, "acc-7", "team <main> & co", "claude",
      "429 from upstream; cooling until the 5h window resets", 1_763_780_000_000L, 1_763_790_000_000L);

  private static WebhookTarget target(Channel channel, Map<String, String> config) {
    return new WebhookTarget("wh_1", "t", channel, true, Set.of(), TargetSettings.validate(channel, config, Map.of()), 1, 1);
  }

  private static JsonNode json(ChannelRequest r) throws Exception {
    return AlertPayloads.JSON.readTree(r.body());
  }

  @Test
  void genericJsonFollowsOurSchemaAndIsSignedWhenASecretIsSet() throws Exception {
    ChannelRequest r = ChannelRequests.build(target(Channel.WEBHOOK, Map.of("url", "https://ops.example/hook", "secret", "k")),
        ALERT, NOW);
    JsonNode b = json(r);
    assertEquals("account_alert", b.get("type").asText());
    assertEquals("rate_limited", b.get("kind").asText());
    assertEquals("acc-7", b.get("accountId").asText());
    assertEquals("team <main> & co", b.get("accountName").asText());
    assertEquals("claude", b.get("platform").asText());
    assertEquals("2025-11-22T02:53:20Z", b.get("at").asText());
    assertEquals("2025-11-22T05:40:00Z", b.get("until").asText());
    assertEquals(Long.toString(NOW / 1000), r.headers().get("X-Relay-Timestamp"));
    assertEquals(AlertSigning.generic("k", NOW / 1000, r.body()), r.headers().get("X-Relay-Signature"));
    ChannelRequest unsigned = ChannelRequests.build(target(Channel.WEBHOOK, Map.of("url", "https://ops.example/hook")),
        new AccountAlert(AlertKind.RECOVERED, "acc-7", "n", "claude", "ok again", 1, 0), NOW);
    assertTrue(unsigned.headers().isEmpty());
    assertTrue(json(unsigned).get("until").isNull());
  }

  @Test
  void slackEscapesMrkdwn() throws Exception {
    JsonNode b = json(ChannelRequests.build(target(Channel.SLACK, Map.of("url", "https://hooks.slack.com/services/T/B/X")),
        ALERT, NOW));
    assertEquals("[Relay Cluster] Account rate limited: team <main> & co", b.get("text").asText());
    assertEquals("header", b.at("/blocks/0/type").asText());
    assertEquals("plain_text", b.at("/blocks/0/text/type").asText());
    assertEquals("mrkdwn", b.at("/blocks/1/text/type").asText());
    String md = b.at("/blocks/1/text/text").asText();
    assertTrue(md.contains("*Account:* team &lt;main&gt; &amp; co (acc-7)"), md);
    assertTrue(md.contains("*Until:* 2025-11-22T05:40:00Z"), md);
  }

  @Test
  void discordUsesOneEmbedWithoutMentions() throws Exception {
    JsonNode b = json(ChannelRequests.build(target(Channel.DISCORD, Map.of("url", "https://discord.com/api/webhooks/1/x")),
        ALERT, NOW));
    assertTrue(b.at("/allowed_mentions/parse").isArray());
    assertEquals(0, b.at("/allowed_mentions/parse").size());
    JsonNode embed = b.at("/embeds/0");
    assertEquals("[Relay Cluster] Account rate limited: team <main> & co", embed.get("title").asText());
    assertEquals(0xD93F0B, embed.get("color").asInt());
    assertEquals("Event", embed.at("/fields/0/name").asText());
    assertEquals("rate limited", embed.at("/fields/0/value").asText());
    assertEquals("2025-11-22T02:53:20Z", embed.get("timestamp").asText());
  }

  @Test
  void feishuCarriesTimestampAndSignInTheBody() throws Exception {
    JsonNode b = json(ChannelRequests.build(target(Channel.FEISHU,
        Map.of("url", "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "secret", "fs")), ALERT, NOW));
    assertEquals("text", b.get("msg_type").asText());
    assertTrue(b.at("/content/text").asText().startsWith("[Relay Cluster] Account rate limited"));
    String ts = Long.toString(NOW / 1000);
    assertEquals(ts, b.get("timestamp").asText());
    assertEquals(Base64.getEncoder().encodeToString(IndependentHmac.sha256(ts + "\n" + "fs", "")), b.get("sign").asText());
    JsonNode unsigned = json(ChannelRequests.build(target(Channel.FEISHU,
        Map.of("url", "https://open.feishu.cn/open-apis/bot/v2/hook/abc")), ALERT, NOW));
    assertFalse(unsigned.has("sign") || unsigned.has("timestamp"));
  }

  @Test
  void dingTalkSignsInTheQuery() throws Exception {
    ChannelRequest r = ChannelRequests.build(target(Channel.DINGTALK,
        Map.of("url", "https://oapi.dingtalk.com/robot/send?access_token=tok", "secret", "SECx")), ALERT, NOW);
    String expectedSign = java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(
        IndependentHmac.sha256("SECx", NOW + "\nSECx")), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("access_token=tok&timestamp=" + NOW + "&sign=" + expectedSign, r.uri().getRawQuery());
    JsonNode b = json(r);
    assertEquals("text", b.get("msgtype").asText());
    assertTrue(b.at("/text/content").asText().contains("Platform: claude"));
  }

  @Test
  void weComContentStaysWithin2048Utf8Bytes() throws Exception {
    AccountAlert longAlert = new AccountAlert(AlertKind.BLOCKED, "acc-1", "账户", "claude", "组织已被禁用🚫".repeat(400), 1, 0);
    String content = json(ChannelRequests.build(target(Channel.WECOM,
        Map.of("url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")), longAlert, NOW)).at("/text/content").asText();
    int bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertTrue(bytes <= 2048 && bytes > 2000, "bytes: " + bytes);
    assertTrue(content.endsWith("…"));
    assertFalse(Character.isHighSurrogate(content.charAt(content.length() - 2)), "no half emoji");
  }

  @Test
  void weComTelegramAndBark() throws Exception {
    JsonNode wecom = json(ChannelRequests.build(target(Channel.WECOM,
        Map.of("url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")), ALERT, NOW));
    assertEquals("text", wecom.get("msgtype").asText());
    assertTrue(wecom.at("/text/content").asText().contains("Detail: 429 from upstream"));

    ChannelRequest tg = ChannelRequests.build(target(Channel.TELEGRAM,
        Map.of("botToken", "123:AA-bb", "chatId", "-1001", "apiBase", "http://127.0.0.1:8081/")), ALERT, NOW);
    assertEquals("http://127.0.0.1:8081/bot123:AA-bb/sendMessage", tg.uri().toString());
    assertEquals("-1001", json(tg).get("chat_id").asText());
    assertTrue(json(tg).get("text").asText().contains("Account: team <main> & co (acc-7)"));

    ChannelRequest bark = ChannelRequests.build(target(Channel.BARK, Map.of("deviceKey", "dk1")), ALERT, NOW);
    assertEquals("https://api.day.app/push", bark.uri().toString());
    JsonNode b = json(bark);
    assertEquals("dk1", b.get("device_key").asText());
    assertEquals("relay-cluster", b.get("group").asText());
    assertEquals("[Relay Cluster] Account rate limited: team <main> & co", b.get("title").asText());
    assertTrue(b.get("body").asText().startsWith("Event: rate limited\nAccount:"));
  }
}
