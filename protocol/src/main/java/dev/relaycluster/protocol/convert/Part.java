package dev.relaycluster.protocol.convert;

import java.util.List;

/**
 * One piece of a turn's content in the intermediate model every converter goes through (ARCHITECTURE.md §2):
 * what Anthropic calls a content block, Chat a content part or tool call, Responses an input item, Gemini a
 * part. Every dialect reads into and writes from these; a piece a target cannot express is refused by that
 * target's writer with a {@link ConversionException} naming it, never dropped silently.
 */
public sealed interface Part {

  /** Plain text. */
  record Text(String text) implements Part {}

  /**
   * An image, either inline ({@code data} is base64, {@code url} null) or by address ({@code url} is an
   * http(s) URL, {@code data} null). {@code mediaType} may be null for an address.
   */
  record Image(String mediaType, String data, String url) implements Part {}

  /** A file other than an image (a PDF), inline as base64; {@code name} may be null. */
  record Document(String mediaType, String data, String name) implements Part {}

  /**
   * A tool call the assistant made: {@code id} as the upstream named it (or one the reader made up),
   * {@code arguments} the JSON text of the arguments (an object; "{}" when there were none).
   * {@code signature} is an opaque token a vendor needs back with the call to replay it (Gemini's
   * thoughtSignature), or null.
   */
  record ToolCall(String id, String name, String arguments, String signature) implements Part {}

  /**
   * The result of an earlier tool call, in a user turn: {@code callId} names the call, {@code name} the
   * tool (null when the reader did not know it), {@code content} text and image parts, {@code error}
   * whether the tool failed.
   */
  record ToolResult(String callId, String name, List<Part> content, boolean error) implements Part {}

  /**
   * The model's reasoning: {@code text} as shown (may be empty when hidden), {@code signature} the
   * vendor's opaque proof that lets it be replayed (Anthropic's signature, OpenAI's encrypted content),
   * {@code redacted} whether the text is withheld and {@code signature} alone carries it.
   * {@code origin} names the dialect the signature came from ({@link dev.relaycluster.protocol.dialect.DialectId#wireName()}),
   * null when there is none: a signature is only ever sent back to the vendor that made it.
   */
  record Reasoning(String text, String signature, boolean redacted, String origin) implements Part {}
}
