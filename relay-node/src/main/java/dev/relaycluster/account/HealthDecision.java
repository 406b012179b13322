package dev.relaycluster.account;

/** What an upstream answer means for an account, decided by {@link CooldownRules}. */
public sealed interface HealthDecision {
  /** The account worked: clear temporary marks; remember the utilisation (-1 unknown). */
  record Healthy(double utilisation) implements HealthDecision {}

  /** Cool the account (or one model family) down. */
  record Cool(CooldownMark mark) implements HealthDecision {}

  /** The credential was refused: refresh the OAuth token once, then retry. */
  record Refresh() implements HealthDecision {}

  /** The credential was refused and no refresh can help. */
  record Unauthorized(String reason) implements HealthDecision {}

  /** The organisation is disabled: out until an admin resets it. */
  record Block(String reason) implements HealthDecision {}

  /** The answer says nothing about the account (a bad request). */
  record Nothing() implements HealthDecision {}
}
