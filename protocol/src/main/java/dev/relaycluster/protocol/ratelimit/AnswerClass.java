package dev.relaycluster.protocol.ratelimit;

/** What an upstream answer says about the account that gave it. */
public enum AnswerClass {
  /** 2xx: the account works. */
  SUCCESS,
  /** 429: a rate limit of the account (see the verdict's reset time and family). */
  RATE_LIMITED,
  /** 529: upstream is overloaded. */
  OVERLOADED,
  /** 500, 502, 503 and other 5xx. */
  SERVER_ERROR,
  /** 504, a response that did not come in time, or a connection that could not be made. */
  UNREACHABLE,
  /** 401: the credential was not accepted. */
  UNAUTHORIZED,
  /** 400/403 saying the organisation is disabled or OAuth is not allowed for it. */
  ORG_DISABLED,
  /** Any other 4xx: about the request, not the account. */
  REQUEST_ERROR
}
