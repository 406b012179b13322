package dev.relaycluster.apikey;

/** Why a key's entity refused to admit a request. */
public enum Refusal {
  UNKNOWN_KEY,
  REVOKED,
  CONCURRENCY
}
