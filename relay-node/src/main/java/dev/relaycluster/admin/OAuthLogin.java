package dev.relaycluster.admin;

/**
 * A generated login URL waiting for its code, kept in the TTL store: the PKCE verifier and state, and
 * whether it asked for a setup token.
 */
record OAuthLogin(String verifier, String state, boolean setupToken) {}
