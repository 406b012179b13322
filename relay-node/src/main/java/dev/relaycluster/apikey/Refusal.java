package dev.relaycluster.apikey;

/** Why a request of a key was refused, and the HTTP status clients react to. */
public enum Refusal {
  UNKNOWN_KEY(401),
  REVOKED(401),
  DELETED(401),
  EXPIRED(401),
  /** The key may not use the request's pool. */
  PERMISSION(403),
  /** The key may not use the requested model. */
  MODEL(403),
  /** The key may not be used from this client or on this path. */
  CLIENT(403),
  CONCURRENCY(429),
  /** Over the requests, tokens or cost of the key's rate window. */
  RATE_WINDOW(429),
  DAILY_COST(402),
  TOTAL_COST(402),
  WEEKLY_OPUS_COST(402);

  private final int status;

  Refusal(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
