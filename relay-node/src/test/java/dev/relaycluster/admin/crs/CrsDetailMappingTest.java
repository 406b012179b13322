package dev.relaycluster.admin.crs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.alerts.Channel;
import dev.relaycluster.alerts.WebhookTarget;
import dev.relaycluster.usage.UsageRecord;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The request-detail log and the webhook settings of claude-relay-service (pure mapping): requests replace the
 * part of the bucket entries they cover and are left out when no entry holds them; every platform type CRS has
 * maps to its target kind with its fields, and the rest is skipped with the reason.
 */
class CrsDetailMappingTest {
  private static final String KEY = "k-1";
  private static final ZoneOffset ZONE = ZoneOffset.ofHours(8);

  private static UsageRecord dayEntry(String model, String day, long input, long output, long costMicros) {
    CrsData.CrsKeyUsage.Bucket b = new CrsData.CrsKeyUsage.Bucket("daily", model, day, Map.of("inputTokens",
        Long.toString(input), "outputTokens", Long.toString(output), "realCostMicro", Long.toString(costMicros),
        "ratedCostMicro", Long.toString(costMicros)));
    List<UsageRecord> entries = CrsUsageMapping.map(KEY, new CrsData.CrsKeyUsage(costMicros / 1e6, costMicros / 1e6,
        List.of(b)), 0, ZONE, System.currentTimeMillis());
    assertEquals(1, entries.size(), entries.toString());
    return entries.get(0);
  }

  private static String request(String id, String at, String model, long input, long output, String cost) {
    return "{\"timestamp\":\"" + at + "\",\"model\":\"" + model + "\",\"accountId\":\"acc-1\",\"accountType\":"
        + "\"claude-console\",\"requestId\":" + (id == null ? "null" : "\"" + id + "\"") + ",\"endpoint\":"
        + "\"/api/v1/messages\",\"statusCode\":200,\"stream\":true,\"durationMs\":12,\"inputTokens\":" + input
        + ",\"outputTokens\":" + output + ",\"cacheCreateTokens\":0,\"cacheReadTokens\":0,\"cost\":" + cost
        + ",\"realCost\":" + cost + "}";
  }

  @Test
  void requestsReplaceThePartOfTheirDayTheyCoverAndTheRestStays() {
    UsageRecord day = dayEntry("claude-sonnet-4-5", "2026-12-03", 1000, 200, 9000);
    long now = System.currentTimeMillis();
    // 2026-12-02T20:00Z is 2026-12-03 04:00 in CRS's +8 zone: that day's bucket holds it.
    CrsRequestMapping.Result r = CrsRequestMapping.map(KEY, List.of(
        request("abc123", "2026-12-02T20:00:00.000Z", "claude-sonnet-4-5", 600, 50, "0.004"),
        request("abc123", "2026-12-02T20:00:00.000Z", "claude-sonnet-4-5", 600, 50, "0.004"),
        request("x".repeat(80), "2026-12-03T01:00:00.000Z", "claude-sonnet-4-5", 300, 100, "0.0035"),
        request("zzz", "2026-12-03T01:00:00.000Z", "claude-sonnet-4-5", 5000, 1, "0.001"),
        request("yyy", "2026-12-03T01:00:00.000Z", "claude-opus-4-1", 1, 1, "0.001"),
        "not json"), List.of(day), ZONE, now);
    assertEquals(2, r.requests().size(), r.requests().toString());
    UsageRecord first = r.requests().get(0);
    assertEquals("crs-req-abc123", first.requestId());
    assertEquals(600, first.inputTokens());
    assertEquals(4000, first.costMicros());
    assertEquals("claude", first.platform());
    assertEquals("/api/v1/messages", first.endpoint());
    assertTrue(first.imported());
    // A CRS id too long for the request log is hashed to a fixed id that fits.
    String hashed = r.requests().get(1).requestId();
    assertTrue(hashed.startsWith("crs-req-") && hashed.length() <= 64, hashed);
    assertEquals(hashed, CrsRequestMapping.requestId(KEY, "x".repeat(80), ""));
    // What the day held beyond the two requests stays one entry; totals are unchanged.
    assertEquals(1, r.entries().size());
    UsageRecord rest = r.entries().get(0);
    assertEquals(day.requestId(), rest.requestId());
    assertEquals(100, rest.inputTokens());
    assertEquals(50, rest.outputTokens());
    assertEquals(1500, rest.costMicros());
    long total = rest.costMicros() + r.requests().stream().mapToLong(UsageRecord::costMicros).sum();
    assertEquals(day.costMicros(), total);
    // More than the day holds, a model the buckets never saw, and a damaged record: left out, reported.
    assertEquals(3, r.skipped().size(), r.skipped().toString());
    assertTrue(r.skipped().get(0).reason().contains("counted twice"), r.skipped().toString());
    assertTrue(r.skipped().stream().anyMatch(s -> s.reason().contains("damaged")));
  }

  @Test
  void aDayFullyCoveredByItsRequestsLeavesNoEntry() {
    UsageRecord day = dayEntry("gpt-5", "2026-12-03", 100, 10, 1000);
    CrsRequestMapping.Result r = CrsRequestMapping.map(KEY, List.of(request(null, "2026-12-03T02:00:00Z", "gpt-5",
        100, 10, "0.001")), List.of(day), ZONE, System.currentTimeMillis());
    assertEquals(List.of(), r.entries());
    assertEquals(1, r.requests().size());
    assertTrue(r.requests().get(0).requestId().startsWith("crs-req-"));
  }

  @Test
  void everyPlatformTypeMapsToItsTargetKindAndOthersAreSkipped() {
    String config = """
        {"enabled":true,"notificationTypes":{"accountAnomaly":false,"rateLimitRecovery":true},"platforms":[
         {"id":"p1","type":"wechat_work","name":"wx","url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"},
         {"id":"p2","type":"feishu","name":"fs","url":"https://open.feishu.cn/hook/x","enableSign":false,"secret":"S"},
         {"id":"p3","type":"bark","name":"phone","deviceKey":"abcdefghijklmnopqrstuv","serverUrl":"https://bark.example.com/push","sound":"bell"},
         {"id":"p4","type":"smtp","name":"mail","host":"smtp.example.com","port":465,"user":"relay@example.com","pass":"pw","to":["Ops <ops@example.com>","b@example.com"]},
         {"id":"p5","type":"telegram","name":"tg","botToken":"1:x","chatId":"42","apiBaseUrl":"https://tg.example.com/","proxyUrl":"socks5://p:1"},
         {"id":"p6","type":"pagerduty","name":"pd","url":"https://events.pagerduty.com/x"},
         {"id":"p7","type":"slack","name":"bad-slack","url":"not a url"}]}""";
    CrsWebhookMapping.Result r = CrsWebhookMapping.map(config, 1_000);
    assertEquals(5, r.targets().size(), r.targets().toString());
    WebhookTarget wx = r.targets().get(0).target();
    assertEquals(Channel.WECOM, wx.channel());
    assertEquals(Set.of(AlertKind.RECOVERED), wx.kinds());
    assertTrue(wx.enabled());
    assertTrue(wx.id().startsWith("wh_crs_"));
    assertEquals(wx.id(), CrsWebhookMapping.map(config, 2_000).targets().get(0).target().id());
    WebhookTarget fs = r.targets().get(1).target();
    assertNull(fs.setting("secret"), "signing was off in CRS");
    WebhookTarget bark = r.targets().get(2).target();
    assertEquals("https://bark.example.com", bark.setting("serverUrl"));
    assertEquals("abcdefghijklmnopqrstuv", bark.setting("deviceKey"));
    assertTrue(r.targets().get(2).note().contains("sound"));
    WebhookTarget mail = r.targets().get(3).target();
    assertEquals(Channel.SMTP, mail.channel());
    assertEquals("tls", mail.setting("security"));
    assertEquals("465", mail.setting("port"));
    assertEquals("relay@example.com", mail.setting("from"));
    assertEquals("relay@example.com", mail.setting("username"));
    assertEquals("pw", mail.setting("password"));
    assertEquals("ops@example.com,b@example.com", mail.setting("to"));
    WebhookTarget tg = r.targets().get(4).target();
    assertEquals("https://tg.example.com", tg.setting("apiBase"));
    assertTrue(r.targets().get(4).note().contains("proxy"));
    assertEquals(2, r.skipped().size(), r.skipped().toString());
    assertTrue(r.skipped().get(0).reason().contains("'pagerduty'"));
    assertTrue(r.skipped().get(1).reason().contains("config.url"));
  }

  @Test
  void aDisabledConfigGivesDisabledTargets() {
    CrsWebhookMapping.Result r = CrsWebhookMapping.map("{\"enabled\":false,\"platforms\":[{\"type\":\"discord\","
        + "\"name\":\"d\",\"url\":\"https://discord.com/api/webhooks/1/x\",\"enabled\":true}]}", 1);
    assertFalse(r.targets().get(0).target().enabled());
    assertTrue(r.targets().get(0).note().startsWith("disabled"));
    WebhookTarget signed = CrsWebhookMapping.map("{\"platforms\":[{\"type\":\"dingtalk\",\"name\":\"dt\",\"url\":"
        + "\"https://oapi.dingtalk.com/robot/send?access_token=T\",\"enableSign\":true,\"secret\":\"SEC1\"}]}", 1)
        .targets().get(0).target();
    assertEquals(Channel.DINGTALK, signed.channel());
    assertEquals("SEC1", signed.setting("secret"));
    assertTrue(signed.enabled());
    assertEquals(1, CrsWebhookMapping.map("[1]", 1).skipped().size());
    assertEquals(0, CrsWebhookMapping.map(null, 1).targets().size());
  }
}
