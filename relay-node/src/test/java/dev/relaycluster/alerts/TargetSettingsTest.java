package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetSettingsTest {
  private static String error(Channel channel, Map<String, String> given) {
    return assertThrows(IllegalArgumentException.class, () -> TargetSettings.validate(channel, given, Map.of()))
        .getMessage();
  }

  @Test
  void requiredFieldsURLsAndUnknownKeys() {
    assertEquals("config.url: required for slack targets", error(Channel.SLACK, Map.of()));
    assertEquals("config.url: must be an http:// or https:// URL with a host",
        error(Channel.SLACK, Map.of("url", "ftp://hooks.slack.com/x")));
    assertEquals("config.url: not a valid URL", error(Channel.DISCORD, Map.of("url", "not a url")));
    assertEquals("config.token: not a setting of wecom targets (settings: url)",
        error(Channel.WECOM, Map.of("url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "token", "x")));
    assertEquals("config.chatId: required for telegram targets", error(Channel.TELEGRAM, Map.of("botToken", "1:abc")));
  }

  @Test
  void defaultsAndSmtpChecks() {
    Map<String, String> telegram = TargetSettings.validate(Channel.TELEGRAM, Map.of("botToken", "1:abc", "chatId", "-100"), Map.of());
    assertEquals("https://api.telegram.org", telegram.get("apiBase"));
    Map<String, String> smtp = TargetSettings.validate(Channel.SMTP,
        Map.of("host", "smtp.example.com", "from", "relay@example.com", "to", "a@example.com, b@example.org"), Map.of());
    assertEquals("587", smtp.get("port"));
    assertEquals("starttls", smtp.get("security"));
    assertEquals("a@example.com,b@example.org", smtp.get("to"));
    Map<String, String> base = new HashMap<>(Map.of("host", "h", "from", "relay@example.com", "to", "a@example.com"));
    base.put("port", "70000");
    assertEquals("config.port: must be a port number from 1 to 65535", error(Channel.SMTP, base));
    base.put("port", "25");
    base.put("security", "ssl3");
    assertEquals("config.security: must be one of starttls, tls, none", error(Channel.SMTP, base));
    base.put("security", "none");
    base.put("to", "a@example.com, nobody");
    assertEquals("config.to: 'nobody' is not an e-mail address", error(Channel.SMTP, base));
    base.put("to", "a@example.com");
    base.put("password", "pw");
    assertEquals("config.password: set config.username too", error(Channel.SMTP, base));
    base.put("from", "relay@example.com\r\nBcc: x@evil.test");
    base.remove("password");
    assertEquals("config.from: not an e-mail address", error(Channel.SMTP, base));
  }

  @Test
  void anUpdateKeepsSecretsItLeavesOutAndClearsWithEmpty() {
    Map<String, String> before = TargetSettings.validate(Channel.FEISHU,
        Map.of("url", "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "secret", "s3"), Map.of());
    Map<String, String> kept = TargetSettings.validate(Channel.FEISHU, Map.of(), before);
    assertEquals(before, kept);
    Map<String, String> cleared = TargetSettings.validate(Channel.FEISHU, Map.of("secret", ""), before);
    assertEquals(Map.of("url", "https://open.feishu.cn/open-apis/bot/v2/hook/abc"), cleared);
  }

  @Test
  void masksSecretsKeepingOnlyTheOriginOfSecretUrls() {
    Map<String, String> masked = TargetSettings.masked(Channel.DINGTALK,
        Map.of("url", "https://oapi.dingtalk.com/robot/send?access_token=tok123", "secret", "SECabc"));
    assertEquals(Map.of("url", "https://oapi.dingtalk.com/****", "secret", "****"), masked);
    assertEquals(Map.of("botToken", "****", "chatId", "42", "apiBase", "http://127.0.0.1:9/"),
        TargetSettings.masked(Channel.TELEGRAM, Map.of("botToken", "1:abc", "chatId", "42", "apiBase", "http://127.0.0.1:9/")));
  }
}
