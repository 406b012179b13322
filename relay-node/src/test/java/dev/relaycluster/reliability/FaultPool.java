package dev.relaycluster.reliability;

import dev.relaycluster.testing.MockFault;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * One pool of the fault suite as its client dialect sees it: how to add an account whose mock can be made
 * faulty, which refusals before the first byte its mock can play, how to send a request and judge the answer.
 */
interface FaultPool {
  /** The pool and client dialect, as the report names it ("claude", "openai (Responses)", …). */
  String name();

  String account(String name, String credential, int priority) throws Exception;

  /**
   * The faults this pool's upstream can answer with before any byte of the answer, for a streamed request or a
   * whole one: the mock's error statuses (by name) and the {@link MockFault}s that come before the first byte.
   */
  List<String> refusals(boolean stream);

  /** Makes the account of this credential answer every request with this refusal (one of {@link #refusals}). */
  void refuse(String credential, String refusal);

  /** Makes the account of this credential answer every request with this fault. */
  void fault(String credential, MockFault fault);

  /** Normal answers again. */
  void heal(String credential);

  /** A request of a conversation of its own (no sticky binding skips the faulty accounts). */
  HttpResponse<String> request(String key, boolean stream) throws Exception;

  /** A whole, successful answer in the dialect: 200 and, streamed, the final event. */
  boolean whole(HttpResponse<String> r, boolean stream);

  /** A stream that carries the dialect's error event and not its final event. */
  boolean endsInError(String body);
}
