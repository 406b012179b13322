package dev.relaycluster.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.openapi.RouteSources.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The document against the route sources: every route the admin and key-holder route classes serve is
 * documented, and every documented operation is served by one of them. The routes are read from the
 * sources ({@link RouteSources}) because Pekko HTTP cannot list them; {@code OpenApiNodeTest} checks the
 * same document against a running node. Adding a route without documenting it fails here.
 */
class OpenApiRoutesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/relaycluster");

  /**
   * The route classes read, and where the node mounts each: AdminLoginRoutes (login.route()), OidcRoutes
   * (oidc.route()) and BrandingRoutes' public route inside AdminRoutes' /admin/api before the session check;
   * UsageRoutes, WebhookRoutes, AdminUserRoutes, BrandingRoutes and ModelMapRoutes inside its authenticated
   * /admin/api (usage.route(), webhooks.route(…), admins.route(…), branding.route(…), modelMaps.route(…));
   * RelayNode mounts the others and may
   * hold directives of its own on its {@code AllDirectives d}.
   */
  private static final Map<String, String> READ = Map.ofEntries(
      Map.entry("http/AdminRoutes.java", ""),
      Map.entry("http/AdminLoginRoutes.java", "/admin/api"),
      Map.entry("http/OidcRoutes.java", "/admin/api"),
      Map.entry("http/AdminUserRoutes.java", "/admin/api"),
      Map.entry("http/BrandingRoutes.java", "/admin/api"),
      Map.entry("http/ModelMapRoutes.java", "/admin/api"),
      Map.entry("http/UsageRoutes.java", "/admin/api"),
      Map.entry("http/WebhookRoutes.java", "/admin/api"),
      Map.entry("http/KeyUsageRoutes.java", ""),
      Map.entry("http/HealthRoutes.java", ""),
      Map.entry("http/OpenApiRoute.java", ""),
      Map.entry("http/RelayRoutes.java", ""),
      Map.entry("node/RelayNode.java", ""));

  /** Route classes that serve nothing the document describes, and why. */
  private static final Map<String, String> NOT_DESCRIBED = Map.of(
      "http/AdminUiRoutes.java", "the admin web UI's static files and the key holders' HTML page",
      "http/GeminiRoutes.java", "Gemini's own client API, relayed",
      "http/ChatRoutes.java", "OpenAI's Chat Completions client API, relayed",
      "http/DroidRoutes.java", "the Droid CLI's Anthropic, Responses and Chat client APIs under /droid, relayed",
      "http/ResponsesSocketRoute.java", "the Codex Responses WebSocket, relayed",
      "http/MetricsRoutes.java", "GET /metrics, the Prometheus exposition (README: Operating it)",
      "node/NodeMetrics.java", "mounts /metrics on the main or the management port",
      "http/BodilessRequests.java", "no path of its own: reads and drops the body of a GET, HEAD, OPTIONS or DELETE",
      "http/NodeRoutes.java", "no path of its own: joins the route classes above, with the node's 404 for the rest",
      "http/RequestIds.java", "no path of its own: puts x-relay-request-id on every answer");

  /**
   * What RelayRoutes serves that is a vendor's client API (relayed, the vendors describe it) or the
   * service map at the root, as the reader sees it (its Anthropic paths without their mount prefix).
   */
  private static final Set<Route> RELAYED = Set.of(
      new Route("GET", "/"), new Route("HEAD", "/"),
      new Route("POST", "/v1/messages"), new Route("POST", "/v1/messages/count_tokens"),
      new Route("GET", "/v1/models"), new Route("POST", "/api/event_logging/batch"),
      new Route("POST", "/responses"), new Route("POST", "/responses/compact"), new Route("GET", "/models"));

  /** RelayRoutes mounts its Anthropic paths (the key holder's usage among them) under /api, /claude and /. */
  private static final String RELAY_MOUNT = "/api";

  @Test
  void everyRouteClassIsReadOrSaysWhyNot() throws IOException {
    Set<String> unread = new TreeSet<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String name = MAIN.relativize(f).toString().replace('\\', '/');
        if (Files.readString(f).contains("AllDirectives") && !READ.containsKey(name)
            && !NOT_DESCRIBED.containsKey(name)) {
          unread.add(name);
        }
      }
    }
    assertEquals(Set.of(), unread, "route classes neither read against the document nor listed as not described");
  }

  @Test
  void everyServedRouteIsDocumented() throws IOException {
    Set<Route> undocumented = new TreeSet<>(served());
    undocumented.removeAll(documented());
    assertEquals(Set.of(), undocumented, "served but not in " + AdminApiDocument.RESOURCE);
  }

  @Test
  void everyDocumentedRouteIsServed() throws IOException {
    Set<Route> unserved = new TreeSet<>(documented());
    unserved.removeAll(served());
    assertEquals(Set.of(), unserved, "documented but served by no route source");
  }

  /** The reader itself, on a made-up routes class in our style. */
  @Test
  void theReaderFollowsTheRoutingStyle() {
    String source = """
        class Made extends AllDirectives {
          // path("commented", () -> get(() -> x))
          Route route() {
            return pathPrefix(segment("admin").slash("api"), () -> concat(
                path("login", () -> concat(post(() -> login()), complete("use POST"))),
                extractRequest(req -> inner(req))));
          }
          private Route inner(Object req) {
            String s = "path(\\"in a string\\")";
            return concat(
                path("things", () -> concat(get(() -> list()), post(() -> body.path("name")))),
                pathPrefix("things", () -> pathPrefix(PathMatchers.segment(), id -> concat(
                    pathEnd(() -> delete(() -> x)),
                    path("undo", () -> complete(y))))),
                path(segment("a").slash(PathMatchers.segment()).slash("b"), id -> helper()),
                get(() -> complete(z)));
          }
          private Route helper() {
            return patch(() -> complete(w));
          }
          private Route login() {
            return complete(v);
          }
        }
        """;
    assertEquals(new TreeSet<>(List.of(
            new Route("POST", "/admin/api/login"),
            new Route("GET", "/admin/api/things"), new Route("POST", "/admin/api/things"),
            new Route("DELETE", "/admin/api/things/{}"), new Route("ANY", "/admin/api/things/{}/undo"),
            new Route("PATCH", "/admin/api/a/{}/b"), new Route("GET", "/admin/api/**"))),
        RouteSources.scan(source, "", Set.of()));
  }

  private static Set<Route> served() throws IOException {
    Set<Route> out = new TreeSet<>();
    for (Map.Entry<String, String> f : READ.entrySet()) {
      String source = Files.readString(MAIN.resolve(f.getKey()));
      Set<Route> routes = RouteSources.scan(source, f.getValue(), f.getKey().endsWith("RelayNode.java")
          ? Set.of("d") : Set.of());
      if (f.getKey().endsWith("RelayRoutes.java")) {
        routes.stream().filter(r -> !RELAYED.contains(r))
            .forEach(r -> out.add(new Route(r.method(), RELAY_MOUNT + r.path())));
      } else {
        out.addAll(routes);
      }
    }
    assertTrue(out.size() > 40, "routes read: " + out);
    return out;
  }

  /** The documented operations, path parameters written {} as the reader writes them. */
  private static Set<Route> documented() {
    Set<Route> out = new TreeSet<>();
    AdminApiDocument.get().operations().forEach(o -> out.add(
        new Route(o.method().toUpperCase(Locale.ROOT), o.path().replaceAll("\\{[^}]+}", "{}"))));
    return out;
  }
}
