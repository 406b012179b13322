package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.testing.SmtpReceiver;
import dev.relaycluster.testing.WebhookReceiver;
import dev.relaycluster.testing.WebhookReceiver.Answer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every channel delivered to a real local server speaking its answer format; retries; SMTP dialogues. */
class AlertDeliveryTest {
  private static final AccountAlert ALERT = new AccountAlert(AlertKind.UNAUTHORIZED, "acc-42", "pool-üñí", "claude",
      "401 after a token refresh", System.currentTimeMillis(), 0);

  private static WebhookReceiver receiver;
  private static AlertDelivery delivery;

  @BeforeAll
  static void start() throws Exception {
    receiver = new WebhookReceiver();
    delivery = new AlertDelivery(new RelaySettings.Alerts(4, Duration.ofMillis(20), Duration.ofMillis(80),
        Duration.ofSeconds(5), Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    delivery.close();
    receiver.close();
  }

  private static WebhookTarget target(Channel channel, Map<String, String> config) {
    return new WebhookTarget("wh_" + channel.wireName(), channel.wireName() + " target", channel, true, Set.of(),
        TargetSettings.validate(channel, config, Map.of()), 1, 1);
  }

  private static DeliveryResult deliver(WebhookTarget target) throws Exception {
    return delivery.deliver(target, ALERT).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JsonNode only(String path) throws Exception {
    List<WebhookReceiver.Received> got = receiver.received(path);
    assertEquals(1, got.size(), "requests to " + path);
    assertEquals("POST", got.get(0).method());
    assertTrue(got.get(0).header("content-type").startsWith("application/json"), got.get(0).header("content-type"));
    return AlertPayloads.JSON.readTree(got.get(0).body());
  }

  private static Map<String, String> query(String raw) {
    return Arrays.stream(raw.split("&")).map(p -> p.split("=", 2))
        .collect(Collectors.toMap(p -> p[0], p -> p[1]));
  }

  @Test
  void genericWebhookIsSignedOverTimestampAndBody() throws Exception {
    String path = "/hooks/generic";
    DeliveryResult r = deliver(target(Channel.WEBHOOK, Map.of("url", receiver.baseUrl() + path, "secret", "whsec_a1")));
    assertEquals(new DeliveryResult(true, 1, null), r);
    WebhookReceiver.Received got = receiver.received(path).get(0);
    String expected = "sha256=" + HexFormat.of().formatHex(
        IndependentHmac.sha256("whsec_a1", got.header("x-relay-timestamp") + "." + got.body()));
    assertEquals(expected, got.header("x-relay-signature"));
    JsonNode b = only(path);
    assertEquals("unauthorized", b.get("kind").asText());
    assertEquals("pool-üñí", b.get("accountName").asText());
  }

  @Test
  void slackAndDiscord() throws Exception {
    String slack = "/services/T0001/B0001/slacktoken";
    assertTrue(deliver(target(Channel.SLACK, Map.of("url", receiver.baseUrl() + slack))).delivered());
    assertEquals("[Relay Cluster] Account unauthorized: pool-üñí", only(slack).get("text").asText());

    String discord = "/api/webhooks/1234/discordtoken";
    receiver.answer(discord, new Answer(204, "text/plain", ""));
    assertTrue(deliver(target(Channel.DISCORD, Map.of("url", receiver.baseUrl() + discord))).delivered());
    assertEquals("[Relay Cluster] Account unauthorized: pool-üñí", only(discord).at("/embeds/0/title").asText());
  }

  @Test
  void feishuSignatureVerifiesOnTheReceivingSide() throws Exception {
    String path = "/open-apis/bot/v2/hook/feishu-token";
    receiver.answer(path, Answer.json(200, "{\"code\":0,\"data\":{},\"msg\":\"success\"}"));
    assertTrue(deliver(target(Channel.FEISHU, Map.of("url", receiver.baseUrl() + path, "secret", "fsecret"))).delivered());
    JsonNode b = only(path);
    long ts = Long.parseLong(b.get("timestamp").asText());
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - ts) < 3600, "timestamp within the hour Feishu allows");
    assertEquals(Base64.getEncoder().encodeToString(IndependentHmac.sha256(ts + "\nfsecret", "")), b.get("sign").asText());
    assertEquals("text", b.get("msg_type").asText());
  }

  @Test
  void dingTalkSignatureVerifiesOnTheReceivingSide() throws Exception {
    String path = "/robot/send";
    receiver.answer(path, Answer.json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
    assertTrue(deliver(target(Channel.DINGTALK,
        Map.of("url", receiver.baseUrl() + path + "?access_token=ding-token", "secret", "SECding"))).delivered());
    WebhookReceiver.Received got = receiver.received(path).get(0);
    Map<String, String> q = query(got.query());
    assertEquals("ding-token", q.get("access_token"));
    String sign = URLDecoder.decode(q.get("sign"), StandardCharsets.UTF_8);
    assertEquals(Base64.getEncoder().encodeToString(IndependentHmac.sha256("SECding", q.get("timestamp") + "\nSECding")), sign);
    assertEquals("text", only(path).get("msgtype").asText());
  }

  @Test
  void weComTelegramAndBark() throws Exception {
    String wecom = "/cgi-bin/webhook/send";
    receiver.answer(wecom, Answer.json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
    assertTrue(deliver(target(Channel.WECOM, Map.of("url", receiver.baseUrl() + wecom + "?key=wecom-key"))).delivered());
    assertEquals("key=wecom-key", receiver.received(wecom).get(0).query());
    assertTrue(only(wecom).at("/text/content").asText().contains("Detail: 401 after a token refresh"));

    String telegram = "/bot777:tg-token/sendMessage";
    receiver.answer(telegram, Answer.json(200, "{\"ok\":true,\"result\":{\"message_id\":1,\"chat\":{\"id\":-100}}}"));
    assertTrue(deliver(target(Channel.TELEGRAM,
        Map.of("botToken", "777:tg-token", "chatId", "-100", "apiBase", receiver.baseUrl()))).delivered());
    assertEquals("-100", only(telegram).get("chat_id").asText());

    receiver.answer("/push", Answer.json(200, "{\"code\":200,\"message\":\"success\",\"timestamp\":1}"));
    assertTrue(deliver(target(Channel.BARK, Map.of("deviceKey", "bark-key", "serverUrl", receiver.baseUrl(),
        "group", "ops"))).delivered());
    JsonNode bark = only("/push");
    assertEquals("bark-key", bark.get("device_key").asText());
    assertEquals("ops", bark.get("group").asText());
  }

  @Test
  void failsTwiceThenSucceedsWithBackoff() throws Exception {
    String path = "/hooks/flaky";
    receiver.script(path, new Answer(500, "text/plain", "boom"), new Answer(503, "text/plain", "busy"));
    DeliveryResult r = deliver(target(Channel.WEBHOOK, Map.of("url", receiver.baseUrl() + path)));
    assertEquals(new DeliveryResult(true, 3, null), r);
    assertEquals(3, receiver.received(path).size());
  }

  @Test
  void anErrorInTheAnswerBodyIsRetriedThenGivenUpWithoutSecrets() throws Exception {
    String path = "/open-apis/bot/v2/hook/always-bad";
    receiver.answer(path, Answer.json(200,
        "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}"));
    DeliveryResult r = deliver(target(Channel.FEISHU, Map.of("url", receiver.baseUrl() + path, "secret", "x")));
    assertFalse(r.delivered());
    assertEquals(4, r.attempts());
    assertTrue(r.error().startsWith("Feishu code 19021"), r.error());
    assertEquals(4, receiver.received(path).size());

    String echo = "/hooks/echo-secret-token-123";
    receiver.answer(echo, new Answer(404, "text/plain", "no hook at " + receiver.baseUrl() + echo));
    DeliveryResult echoed = deliver(target(Channel.SLACK, Map.of("url", receiver.baseUrl() + echo)));
    assertFalse(echoed.delivered());
    assertFalse(echoed.error().contains("echo-secret-token-123"), echoed.error());
    assertTrue(echoed.error().startsWith("HTTP 404"), echoed.error());
  }

  @Test
  void anUnreachableTargetIsNamedPlainly() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    DeliveryResult r = delivery.deliverOnce(target(Channel.SLACK, Map.of("url", "http://127.0.0.1:" + closed + "/x")), ALERT)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(new DeliveryResult(false, 1, "cannot connect (refused or unreachable)"), r);
  }

  private static MimeMessage parse(SmtpReceiver.Mail mail) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()),
        new ByteArrayInputStream(mail.data().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void smtpWithoutAuth() throws Exception {
    try (SmtpReceiver smtp = new SmtpReceiver(null, null)) {
      DeliveryResult r = deliver(target(Channel.SMTP, Map.of("host", "127.0.0.1", "port", Integer.toString(smtp.port()),
          "security", "none", "from", "relay@example.com", "to", "ops@example.com, oncall@example.org")));
      assertEquals(new DeliveryResult(true, 1, null), r);
      SmtpReceiver.Mail mail = smtp.mails().get(0);
      assertNull(mail.authUser());
      assertEquals("relay@example.com", mail.from());
      assertEquals(List.of("ops@example.com", "oncall@example.org"), mail.recipients());
      MimeMessage message = parse(mail);
      assertEquals("[Relay Cluster] Account unauthorized: pool-üñí", message.getSubject());
      assertEquals(new InternetAddress("relay@example.com"), message.getFrom()[0]);
      String text = ((String) message.getContent()).replace("\r\n", "\n");
      assertEquals(AlertText.plain(ALERT), text.strip());
    }
  }

  @Test
  void smtpAuthPlainAndLogin() throws Exception {
    for (String mechanism : List.of("PLAIN", "LOGIN")) {
      try (SmtpReceiver smtp = new SmtpReceiver("relay-bot", "smtp-pass", mechanism)) {
        Map<String, String> config = Map.of("host", "127.0.0.1", "port", Integer.toString(smtp.port()), "security", "none",
            "username", "relay-bot", "password", "smtp-pass", "from", "relay@example.com", "to", "ops@example.com");
        assertTrue(deliver(target(Channel.SMTP, config)).delivered(), mechanism);
        assertEquals(List.of(mechanism + ":ok"), smtp.authAttempts());
        assertEquals("relay-bot", smtp.mails().get(0).authUser());
      }
    }
  }

  @Test
  void smtpWrongPasswordAndMissingStarttlsFailClearly() throws Exception {
    try (SmtpReceiver smtp = new SmtpReceiver("relay-bot", "smtp-pass", "PLAIN")) {
      DeliveryResult r = delivery.deliverOnce(target(Channel.SMTP, Map.of("host", "127.0.0.1",
          "port", Integer.toString(smtp.port()), "security", "none", "username", "relay-bot", "password", "wrong-pass",
          "from", "relay@example.com", "to", "ops@example.com")), ALERT).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertFalse(r.delivered());
      assertTrue(r.error().startsWith("SMTP: "), r.error());
      assertTrue(r.error().contains("535") || r.error().toLowerCase().contains("authentication"), r.error());
      assertFalse(r.error().contains("wrong-pass"), r.error());
      assertTrue(smtp.mails().isEmpty());

      DeliveryResult tls = delivery.deliverOnce(target(Channel.SMTP, Map.of("host", "127.0.0.1",
          "port", Integer.toString(smtp.port()), "security", "starttls", "username", "relay-bot", "password", "smtp-pass",
          "from", "relay@example.com", "to", "ops@example.com")), ALERT).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertFalse(tls.delivered());
      assertTrue(tls.error().contains("STARTTLS"), tls.error());
      assertTrue(smtp.mails().isEmpty());
    }
  }
}
