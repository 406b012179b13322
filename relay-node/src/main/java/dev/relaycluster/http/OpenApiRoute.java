package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /admin/api/openapi.json}: the OpenAPI 3.1 description of the admin and key-holder endpoints
 * (the resource {@code openapi/admin-api.json}). It needs no admin token: it says what the public source
 * says and nothing about this deployment (no accounts, keys, hosts or settings), and tools that generate
 * clients or show the API can fetch it before anyone logs in. Mounted before the admin routes, whose
 * login check would otherwise answer 401.
 */
public final class OpenApiRoute extends AllDirectives {
  static final String RESOURCE = "openapi/admin-api.json";
  private static final List<HttpHeader> HEADERS = List.of(RawHeader.create("cache-control", "no-cache"),
      RawHeader.create("x-content-type-options", "nosniff"));

  /** Read once at start; a node built without the document does not start. */
  private final HttpResponse document;

  public OpenApiRoute() {
    this.document = HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, read()))
        .addHeaders(HEADERS);
  }

  public Route route() {
    return path(segment("admin").slash("api").slash("openapi.json"), () -> get(() -> complete(document)));
  }

  private static byte[] read() {
    try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the admin API document " + RESOURCE + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("the admin API document " + RESOURCE + " cannot be read", e);
    }
  }
}
