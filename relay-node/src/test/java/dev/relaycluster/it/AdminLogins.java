package dev.relaycluster.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.AdminClient;
import java.net.http.HttpResponse;

/** Logging in as any admin, and reading JSON answers, for the admin tests. */
final class AdminLogins {
  static final ObjectMapper JSON = new ObjectMapper();

  private AdminLogins() {}

  static HttpResponse<String> login(AdminClient node, String username, String password) throws Exception {
    return node.post("/admin/api/login", JSON.createObjectNode().put("username", username).put("password", password),
        null);
  }

  /** A session token for an admin without two-factor. */
  static String token(AdminClient node, String username, String password) throws Exception {
    HttpResponse<String> r = login(node, username, password);
    if (r.statusCode() != 200 || !json(r).has("token")) {
      throw new AssertionError("login of " + username + ": " + r.statusCode() + " " + r.body());
    }
    return json(r).get("token").asText();
  }

  /** Creates an admin as the owner; answers the created admin (with "password" when none was given). */
  static JsonNode createAdmin(AdminClient owner, String username, String role, String password) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("username", username).put("role", role);
    if (password != null) {
      body.put("password", password);
    }
    HttpResponse<String> r = owner.send("POST", "/admin/api/admins", body, owner.login());
    if (r.statusCode() != 201) {
      throw new AssertionError("create admin " + username + ": " + r.statusCode() + " " + r.body());
    }
    return json(r);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }
}
