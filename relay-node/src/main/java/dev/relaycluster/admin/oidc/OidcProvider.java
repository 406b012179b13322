package dev.relaycluster.admin.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.relaycluster.config.OidcSettings;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured issuer, through the Nimbus OAuth 2.0 / OpenID Connect SDK: its metadata from
 * {@code /.well-known/openid-configuration} (fetched on first use and kept for an hour; a failed fetch is
 * tried again on the next sign-in, so an issuer that is down never stops the node), the authorization URL
 * with state, nonce and a PKCE S256 challenge, and the code exchange whose ID token is verified in full:
 * signature against the issuer's JWKS (asymmetric algorithms only), issuer, audience, expiry and nonce.
 * Every method here blocks on the network: callers run it on the blocking dispatcher.
 */
final class OidcProvider {
  private static final long METADATA_TTL_MILLIS = 3_600_000;
  private static final int JWKS_SIZE_LIMIT = 256 * 1024;
  private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");

  private final OidcSettings settings;
  private final int connectMillis;
  private final int readMillis;
  private Discovered discovered;

  private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator, long at) {}

  OidcProvider(OidcSettings settings) {
    this.settings = settings;
    this.connectMillis = (int) settings.connectTimeout().toMillis();
    this.readMillis = (int) settings.readTimeout().toMillis();
  }

  /** The URL the browser is sent to. */
  URI authorizationUrl(URI redirectUri, State state, Nonce nonce, CodeVerifier verifier) {
    OIDCProviderMetadata metadata = discover().metadata();
    return new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(settings.scopes()),
        new ClientID(settings.clientId()), redirectUri)
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .state(state)
        .nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .build()
        .toURI();
  }

  /** Trades the code for tokens and answers the verified ID token's claims; fails with an {@link OidcRefusal}. */
  Map<String, Object> exchange(String code, URI redirectUri, CodeVerifier verifier, Nonce nonce) {
    Discovered d = discover();
    TokenRequest request = tokenRequest(d.metadata(), new AuthorizationCodeGrant(new AuthorizationCode(code),
        redirectUri, verifier));
    TokenResponse response;
    try {
      HTTPRequest http = request.toHTTPRequest();
      http.setConnectTimeout(connectMillis);
      http.setReadTimeout(readMillis);
      response = OIDCTokenResponseParser.parse(http.send());
    } catch (java.io.IOException e) {
      throw new OidcRefusal(OidcRefusal.UNAVAILABLE, "the issuer's token endpoint did not answer: " + e.getMessage(),
          null);
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      throw new OidcRefusal(OidcRefusal.INVALID, "the issuer's token answer is not an OpenID Connect one", null);
    }
    if (!response.indicatesSuccess()) {
      TokenErrorResponse error = response.toErrorResponse();
      String what = error.getErrorObject() == null ? "?" : error.getErrorObject().getCode();
      throw new OidcRefusal(OidcRefusal.INVALID, "the issuer refused the code: " + what, null);
    }
    JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    if (idToken == null) {
      throw new OidcRefusal(OidcRefusal.INVALID, "the issuer's token answer has no ID token", null);
    }
    try {
      return d.validator().validate(idToken, nonce).toJSONObject();
    } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
      throw new OidcRefusal(OidcRefusal.INVALID, "the ID token was refused: " + e.getMessage(), null);
    }
  }

  /**
   * The token request with the client's authentication: none for a public client (PKCE alone), else the
   * secret as the issuer says it takes it (HTTP Basic unless it only lists client_secret_post).
   */
  private TokenRequest tokenRequest(OIDCProviderMetadata metadata, AuthorizationCodeGrant grant) {
    URI endpoint = metadata.getTokenEndpointURI();
    ClientID client = new ClientID(settings.clientId());
    if (settings.clientSecret().isEmpty()) {
      return new TokenRequest(endpoint, client, grant);
    }
    Secret secret = new Secret(settings.clientSecret());
    List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
    boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    return new TokenRequest(endpoint, postOnly ? new ClientSecretPost(client, secret)
        : new ClientSecretBasic(client, secret), grant);
  }

  private synchronized Discovered discover() {
    long now = System.currentTimeMillis();
    if (discovered != null && now - discovered.at() < METADATA_TTL_MILLIS) {
      return discovered;
    }
    OIDCProviderMetadata metadata;
    try {
      metadata = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), connectMillis, readMillis);
    } catch (java.io.IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
      throw new OidcRefusal(OidcRefusal.UNAVAILABLE, "the issuer's discovery document could not be read ("
          + settings.issuer() + "/.well-known/openid-configuration): " + e.getMessage(), null);
    }
    if (metadata.getTokenEndpointURI() == null || metadata.getJWKSetURI() == null) {
      throw new OidcRefusal(OidcRefusal.UNAVAILABLE, "the issuer's discovery document names no token endpoint "
          + "or no jwks_uri", null);
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    if (metadata.getIDTokenJWSAlgs() != null) {
      metadata.getIDTokenJWSAlgs().stream().filter(a -> ASYMMETRIC.contains(a.getName())).forEach(algorithms::add);
    }
    if (algorithms.isEmpty()) {
      algorithms.add(JWSAlgorithm.RS256);
    }
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
          new DefaultResourceRetriever(connectMillis, readMillis, JWKS_SIZE_LIMIT)).build();
    } catch (java.net.MalformedURLException e) {
      throw new OidcRefusal(OidcRefusal.UNAVAILABLE, "the issuer's jwks_uri is not a URL", null);
    }
    IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(settings.clientId()),
        new JWSVerificationKeySelector<>(algorithms, keys), null);
    discovered = new Discovered(metadata, validator, now);
    return discovered;
  }
}
