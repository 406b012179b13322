package dev.relaycluster.protocol.convert;

/** Whether and which tool the model must call; {@code name} is set only for {@link Mode#NAMED}. */
public record ToolChoice(Mode mode, String name) {

  public enum Mode {
    /** The model decides. */
    AUTO,
    /** The model must call some tool. */
    REQUIRED,
    /** The model must not call a tool. */
    NONE,
    /** The model must call the tool named. */
    NAMED
  }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);

  public static ToolChoice named(String name) {
    return new ToolChoice(Mode.NAMED, name);
  }
}
