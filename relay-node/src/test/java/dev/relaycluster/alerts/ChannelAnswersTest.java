package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelAnswersTest {
  @Test
  void non2xxFailsEveryChannel() {
    assertEquals(Optional.of("HTTP 404: no_service"), ChannelAnswers.failure(Channel.SLACK, 404, "no_service"));
    assertEquals(Optional.of("HTTP 500"), ChannelAnswers.failure(Channel.WEBHOOK, 500, ""));
    assertTrue(ChannelAnswers.failure(Channel.SLACK, 200, "ok").isEmpty());
    assertTrue(ChannelAnswers.failure(Channel.DISCORD, 204, "").isEmpty());
  }

  @Test
  void errorBodiesWithStatus200AreFailures() {
    assertEquals(Optional.of("Feishu code 19021: sign match fail or timestamp is not within one hour from current time"),
        ChannelAnswers.failure(Channel.FEISHU, 200,
            "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}"));
    assertTrue(ChannelAnswers.failure(Channel.FEISHU, 200, "{\"code\":0,\"data\":{},\"msg\":\"success\"}").isEmpty());
    assertTrue(ChannelAnswers.failure(Channel.FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}").isEmpty());
    assertEquals(Optional.of("DingTalk errcode 310000: sign not match"),
        ChannelAnswers.failure(Channel.DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}"));
    assertTrue(ChannelAnswers.failure(Channel.DINGTALK, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}").isEmpty());
    assertEquals(Optional.of("WeCom errcode 93000: invalid webhook url"),
        ChannelAnswers.failure(Channel.WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"));
    assertEquals(Optional.of("Telegram ok=false: Bad Request: chat not found"),
        ChannelAnswers.failure(Channel.TELEGRAM, 200, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"));
    assertTrue(ChannelAnswers.failure(Channel.TELEGRAM, 200, "{\"ok\":true,\"result\":{\"message_id\":7}}").isEmpty());
    assertEquals(Optional.of("Bark code 400: failed to get device token"),
        ChannelAnswers.failure(Channel.BARK, 200, "{\"code\":400,\"message\":\"failed to get device token\"}"));
    assertTrue(ChannelAnswers.failure(Channel.BARK, 200, "{\"code\":200,\"message\":\"success\",\"timestamp\":1}").isEmpty());
  }

  @Test
  void longAnswersAreCut() {
    String answer = ChannelAnswers.failure(Channel.WEBHOOK, 502, "x".repeat(5000)).orElseThrow();
    assertTrue(answer.length() < 260, answer);
  }
}
