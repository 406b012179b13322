package dev.relaycluster.protocol.oauth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What an operator pastes back after logging in: the whole callback URL
 * ({@code https://…/callback?code=…&state=…}), {@code code#state} as the callback page shows it, or
 * the bare code. {@code state} is null when the paste did not carry one.
 */
public record AuthorizationCode(String code, String state) {

  /** @throws IllegalArgumentException when no code can be found */
  public static AuthorizationCode parse(String pasted) {
    if (pasted == null || pasted.isBlank()) {
      throw new IllegalArgumentException("code: required (the callback URL or the code#state shown after login)");
    }
    String s = pasted.strip();
    if (s.startsWith("http://") || s.startsWith("https://")) {
      URI uri;
      try {
        uri = URI.create(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("code: the callback URL is not a valid URL");
      }
      String code = param(uri.getRawQuery(), "code");
      String state = param(uri.getRawQuery(), "state");
      if (state == null && uri.getRawFragment() != null) {
        state = URLDecoder.decode(uri.getRawFragment(), StandardCharsets.UTF_8);
      }
      if (code == null || code.isBlank()) {
        throw new IllegalArgumentException("code: the callback URL has no code parameter");
      }
      return new AuthorizationCode(code, state);
    }
    int hash = s.indexOf('#');
    String code = hash >= 0 ? s.substring(0, hash) : s;
    String state = hash >= 0 ? s.substring(hash + 1) : null;
    int amp = code.indexOf('&');
    if (amp >= 0) {
      code = code.substring(0, amp);
    }
    if (code.isBlank() || code.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("code: not an authorization code");
    }
    return new AuthorizationCode(code, state == null || state.isBlank() ? null : state);
  }

  private static String param(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "AuthorizationCode[code=****, state=" + (state == null ? "-" : "present") + "]";
  }
}
