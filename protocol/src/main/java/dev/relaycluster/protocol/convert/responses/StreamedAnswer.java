package dev.relaycluster.protocol.convert.responses;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.dialect.ErrorKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole answer added up from a Responses stream (the ChatGPT Codex backend answers only streams, and its
 * {@code response.completed} need not list the output items): the stream is decoded by
 * {@link ResponsesDecoder} and its pieces collected. A failed or cut stream is refused.
 */
final class StreamedAnswer {
  private String id;
  private String model;
  private final List<Part> content = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private char piece;
  private boolean redacted;
  private String signature;
  private String origin;
  private String callId;
  private String callName;
  private AnswerUsage usage = AnswerUsage.ZERO;
  private WholeAnswer whole;

  private StreamedAnswer() {}

  /** Whether {@code body} is an SSE stream rather than a JSON object. */
  static boolean isStream(byte[] body) {
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    return i < body.length && body[i] != '{';
  }

  static WholeAnswer read(byte[] sse) {
    StreamedAnswer answer = new StreamedAnswer();
    ResponsesDecoder decoder = new ResponsesDecoder();
    decoder.feed(ByteBuffer.wrap(sse), answer::on);
    decoder.end(answer::on);
    if (answer.whole == null) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "the upstream stream broke off before the answer was"
          + " complete");
    }
    return answer.whole;
  }

  private void on(AnswerEvent event) {
    if (event instanceof AnswerEvent.Started s) {
      id = s.id();
      model = s.model();
    } else if (event instanceof AnswerEvent.TextStarted) {
      open('t');
    } else if (event instanceof AnswerEvent.ReasoningStarted r) {
      open('r');
      redacted = r.redacted();
    } else if (event instanceof AnswerEvent.ToolCallStarted c) {
      open('c');
      callId = c.id();
      callName = c.name();
    } else if (event instanceof AnswerEvent.TextDelta d) {
      text.append(d.text());
    } else if (event instanceof AnswerEvent.ReasoningDelta d) {
      text.append(d.text());
    } else if (event instanceof AnswerEvent.ToolArgumentsDelta d) {
      text.append(d.json());
    } else if (event instanceof AnswerEvent.ReasoningSignature s) {
      signature = s.signature();
      origin = s.origin();
    } else if (event instanceof AnswerEvent.UsageUpdate u) {
      usage = u.usage();
    } else if (event instanceof AnswerEvent.Finished f) {
      open((char) 0);
      whole = new WholeAnswer(id, model, content, f.reason() == null ? StopReason.END_TURN : f.reason(),
          f.stopSequence(), usage);
    } else if (event instanceof AnswerEvent.Failed f) {
      throw new ConversionException(f.kind(), f.message());
    }
  }

  /** Ends the piece being collected and begins one of kind {@code next} (0 for none). */
  private void open(char next) {
    switch (piece) {
      case 't' -> content.add(new Part.Text(text.toString()));
      case 'r' -> content.add(new Part.Reasoning(text.toString(), signature, redacted, origin));
      case 'c' -> content.add(new Part.ToolCall(callId, callName, text.length() == 0 ? "{}" : text.toString(), null));
      default -> {
        // nothing was being collected
      }
    }
    piece = next;
    text.setLength(0);
    signature = null;
    origin = null;
  }
}
