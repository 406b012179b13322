package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.store.InMemoryTtlStore;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReplayNotesTest {

  private static Conversation conversation(List<Turn> turns) {
    return new Conversation("m", List.of(), turns, List.of(), null, null, -1, null, null, null, List.of(), null, null,
        true, null);
  }

  private static Part.ToolCall call(String id, String signature) {
    return new Part.ToolCall(id, "Bash", "{}", signature);
  }

  @Test
  void callsWithoutSignedReasoningOrSignatureAreLookedUpNewestFirst() {
    Conversation c = conversation(List.of(
        new Turn(Role.USER, List.of(new Part.Text("hi"))),
        new Turn(Role.ASSISTANT, List.of(call("a", null))),
        new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("t", "sig", false, "anthropic"), call("b", "s"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("t", "sig", false, "anthropic"), call("c", null)))));
    assertEquals(List.of("c", "a"), ReplayNotes.unsignedCalls(c));
  }

  @Test
  void whatAnAnswerSignedComesBackForItsCallsOnlyForTheSameKey() throws Exception {
    try (InMemoryTtlStore store = new InMemoryTtlStore()) {
      ReplayNotes notes = new ReplayNotes(store);
      Consumer<AnswerEvent> recorder = notes.recorder("key-1");
      recorder.accept(new AnswerEvent.Started("r1", "claude"));
      recorder.accept(new AnswerEvent.ReasoningStarted(false));
      recorder.accept(new AnswerEvent.ReasoningDelta("let me "));
      recorder.accept(new AnswerEvent.ReasoningDelta("think"));
      recorder.accept(new AnswerEvent.ReasoningSignature("SIG", "anthropic"));
      recorder.accept(new AnswerEvent.ToolCallStarted("call_1", "Bash", null));
      recorder.accept(new AnswerEvent.ToolCallStarted("call_2", "Bash", "GEMSIG"));
      Thread.sleep(50);
      Conversation replayed = conversation(List.of(new Turn(Role.ASSISTANT, List.of(call("call_1", null),
          call("call_2", null)))));
      ReplayBook book = notes.lookUp("key-1", replayed).toCompletableFuture().get();
      assertEquals(new Part.Reasoning("let me think", "SIG", false, "anthropic"), book.reasoningBefore("call_1"));
      assertNull(book.callSignature("call_1"));
      assertEquals("GEMSIG", book.callSignature("call_2"));
      ReplayBook other = notes.lookUp("key-2", replayed).toCompletableFuture().get();
      assertNull(other.reasoningBefore("call_1"));
      assertNull(other.callSignature("call_2"));
    }
  }
}
