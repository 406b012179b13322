package dev.relaycluster.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A few slow senders, all at once, against the node's short client timeouts in the rig (head 3 s, body
 * pause 2 s): a head trickled byte by byte and an idle connection are cut; a sized and a chunked body that
 * stall get 408 in the caller's dialect; a body that trickles but never pauses long is answered as usual.
 */
final class SlowSenders {
  private static final int READ_TIMEOUT_MILLIS = 20_000;

  private final int port;
  private final String key;
  private final FuzzTally tally;

  SlowSenders(int port, String key, FuzzTally tally) {
    this.port = port;
    this.key = key;
    this.tally = tally;
  }

  /** A sender: what it sends and when, and what the node must do about it. */
  private interface Sender {
    FuzzAnswer send(FuzzConnection c) throws IOException, InterruptedException;
  }

  private record Case(String what, FuzzInput.Shape shape, Sender sender, String expect) {}

  void run() throws Exception {
    String messagesHead = "POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key
        + "\r\ncontent-type: application/json\r\n";
    String body = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    List<Case> cases = List.of(
        new Case("head trickled one byte per 150 ms", FuzzInput.Shape.NONE, c -> {
          for (byte b : bytes(messagesHead + "x-pad: " + "a".repeat(200))) {
            try {
              c.write(new byte[] {b});
            } catch (IOException cut) {
              break;
            }
            Thread.sleep(150);
          }
          return c.read(false);
        }, "cut"),
        new Case("idle connection", FuzzInput.Shape.NONE, c -> c.read(false), "cut"),
        new Case("sized body stalls", FuzzInput.Shape.ANTHROPIC, c -> {
          c.write(bytes(messagesHead + "content-length: " + body.length() + "\r\n\r\n" + body.substring(0, 20)));
          return c.read(false);
        }, "408"),
        new Case("chunked Gemini body stalls", FuzzInput.Shape.GEMINI, c -> {
          c.write(bytes("POST /gemini/v1beta/models/gemini-2.5-pro:generateContent HTTP/1.1\r\nHost: relay\r\n"
              + "x-goog-api-key: " + key + "\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
              + "a\r\n{\"contents\r\n"));
          return c.read(false);
        }, "408"),
        new Case("body trickled without long pauses", FuzzInput.Shape.ANTHROPIC, c -> {
          c.write(bytes(messagesHead + "content-length: " + body.length() + "\r\n\r\n"));
          byte[] b = bytes(body);
          for (int i = 0; i < b.length; i += 8) {
            c.write(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 8)));
            Thread.sleep(250);
          }
          return c.read(false);
        }, "200"));
    ExecutorService pool = Executors.newFixedThreadPool(cases.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        Case one = cases.get(i);
        int index = i;
        done.add(pool.submit(() -> {
          run(index, one);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void run(int index, Case one) throws Exception {
    FuzzInput input = new FuzzInput("slow", index, one.what(), one.shape(), new byte[0], FuzzInput.Delivery.FRESH, 1,
        true);
    tally.input("slow");
    FuzzAnswer answer;
    try (FuzzConnection c = new FuzzConnection(port, READ_TIMEOUT_MILLIS, null)) {
      answer = one.sender().send(c);
    }
    tally.outcome("slow", answer);
    boolean met = switch (one.expect()) {
      case "cut" -> answer.outcome() == FuzzAnswer.Outcome.CLOSED || answer.outcome() == FuzzAnswer.Outcome.RESET
          || answer.answered() && answer.status() == 408;
      case "408" -> answer.answered() && answer.status() == 408 && answer.closes()
          && AnswerJudge.shapeMiss(one.shape(), answer) == null;
      default -> answer.answered() && answer.status() == 200;
    };
    if (!met) {
      tally.finding(FuzzTally.Finding.SLOW_SENDER, input, "expected " + one.expect() + ", got " + answer.summary());
    }
    String leak = answer.answered() ? AnswerJudge.leak(input, answer) : null;
    if (leak != null) {
      tally.finding(FuzzTally.Finding.LEAK, input, "'" + leak + "' in " + answer.summary());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
