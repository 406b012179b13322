package dev.relaycluster.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment files cannot be run here (no Docker engine, no Kubernetes), so they are kept correct
 * by construction: they parse, and they agree with each other and with what the node actually serves.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Config NODE = ConfigFactory.load();

  private static List<JsonNode> documents(String file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(DEPLOY.resolve(file).toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    return docs;
  }

  private static Map<String, JsonNode> byKind(List<JsonNode> docs) {
    Map<String, JsonNode> out = new HashMap<>();
    docs.forEach(d -> out.put(d.get("kind").asText(), d));
    return out;
  }

  @Test
  void kubernetesManifestsParseAndProbeWhatTheNodeServes() throws Exception {
    Map<String, JsonNode> kinds = byKind(documents("kubernetes/deployment.yaml"));
    JsonNode deployment = kinds.get("Deployment");
    assertEquals(3, deployment.at("/spec/replicas").asInt());
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    Map<String, Integer> ports = new HashMap<>();
    container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertEquals(NODE.getInt("pekko.management.http.port"), ports.get("management"));
    assertEquals(NODE.getInt("relay.port"), ports.get("http"));
    assertEquals(NODE.getInt("pekko.remote.artery.canonical.port"), ports.get("remoting"));
    assertEquals("management", NODE.getString(
        "pekko.management.cluster.bootstrap.contact-point-discovery.port-name"));
    assertEquals("/ready", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("management", container.at("/readinessProbe/httpGet/port").asText());
    assertEquals("/alive", container.at("/livenessProbe/httpGet/path").asText());
    Map<String, String> env = new HashMap<>();
    container.get("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText(null)));
    assertEquals("kubernetes-api", env.get("CLUSTER_BOOTSTRAP"));
    assertEquals(NODE.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"),
        env.get("CLUSTER_BOOTSTRAP_SERVICE_NAME"));
    assertEquals("app=%s", NODE.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertEquals(env.get("CLUSTER_BOOTSTRAP_SERVICE_NAME"), deployment.at("/spec/template/metadata/labels/app").asText());
    long drainSeconds = NODE.getDuration("relay.drain.deadline").toSeconds();
    assertTrue(pod.get("terminationGracePeriodSeconds").asLong() > drainSeconds,
        "Kubernetes must give a draining pod longer than the drain deadline");
    assertEquals("relay-cluster", pod.get("serviceAccountName").asText());
    assertEquals("relay-cluster", container.at("/envFrom/0/secretRef/name").asText());
    assertTrue(kinds.containsKey("PodDisruptionBudget"));
    // Prometheus finds the pods by annotation and scrapes /metrics where a node with bootstrap serves it.
    JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
    assertEquals("true", annotations.get("prometheus.io/scrape").asText());
    assertEquals(String.valueOf(ports.get("management")), annotations.get("prometheus.io/port").asText());
    assertEquals("/metrics", annotations.get("prometheus.io/path").asText());
    assertEquals("dev.relaycluster.http.MetricsManagementRoutes",
        NODE.getString("pekko.management.http.routes.relay-metrics"));

    Map<String, JsonNode> rbac = byKind(documents("kubernetes/rbac.yaml"));
    ArrayNode verbs = (ArrayNode) rbac.get("Role").at("/rules/0/verbs");
    assertTrue(verbs.toString().contains("list") && verbs.toString().contains("watch"));
    assertEquals("pods", rbac.get("Role").at("/rules/0/resources/0").asText());
    assertEquals("relay-cluster", rbac.get("ServiceAccount").at("/metadata/name").asText());

    JsonNode service = byKind(documents("kubernetes/service.yaml")).get("Service");
    assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
    JsonNode secret = byKind(documents("kubernetes/secret.example.yaml")).get("Secret");
    assertTrue(secret.at("/stringData/ENCRYPTION_KEY").asText().length() >= 32);
  }

  @Test
  void composeFileFormsOneClusterOfThreeBehindNginx() throws Exception {
    JsonNode compose = documents("compose/docker-compose.yml").get(0);
    JsonNode services = compose.get("services");
    String nginx = Files.readString(DEPLOY.resolve("compose/nginx.conf"));
    for (String node : List.of("relay1", "relay2", "relay3")) {
      JsonNode env = services.get(node).get("environment");
      assertEquals(node, env.get("CLUSTER_HOST").asText());
      String seeds = env.get("CLUSTER_SEED_NODES").asText();
      for (String other : List.of("relay1", "relay2", "relay3")) {
        assertTrue(seeds.contains("pekko://relay@" + other + ":" + env.get("CLUSTER_PORT").asText()), seeds);
      }
      assertTrue(env.get("RELAY_DB_URL").asText().startsWith("jdbc:postgresql://postgres:5432/"));
      assertEquals("redis", env.get("REDIS_HOST").asText());
      assertTrue(nginx.contains("server " + node + ":" + NODE.getInt("relay.port")), "nginx balances " + node);
    }
    assertTrue(services.has("postgres") && services.has("redis") && services.has("lb"));
    assertTrue(nginx.contains("proxy_buffering off"));
  }

  @Test
  void composeScrapesEveryNodeAndShowsTheDashboard() throws Exception {
    JsonNode services = documents("compose/docker-compose.yml").get(0).get("services");
    assertTrue(services.get("prometheus").get("volumes").toString().contains("./prometheus.yml:"));
    JsonNode scrape = documents("compose/prometheus.yml").get(0).at("/scrape_configs/0");
    assertEquals("/metrics", scrape.get("metrics_path").asText());
    String targets = scrape.at("/static_configs/0/targets").toString();
    for (String node : List.of("relay1", "relay2", "relay3")) {
      assertTrue(targets.contains("\"" + node + ":" + NODE.getInt("relay.port") + "\""), targets);
      assertTrue(services.has(node));
    }
    String grafana = services.get("grafana").get("volumes").toString();
    assertTrue(grafana.contains("../grafana/relay-dashboard.json:") && grafana.contains("../grafana/provisioning:"));
    assertTrue(Files.exists(DEPLOY.resolve("grafana/provisioning/dashboards/relay.yml")));
    assertEquals("http://prometheus:9090",
        documents("grafana/provisioning/datasources/prometheus.yml").get(0).at("/datasources/0/url").asText());
    JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/relay-dashboard.json").toFile());
    assertEquals("relay-cluster", dashboard.get("uid").asText());
    assertTrue(dashboard.get("panels").size() > 10);
  }

  @Test
  void dockerfileShipsTheJarTheBuildMakes() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    String pom = Files.readString(DEPLOY.getParent().resolve("relay-node/pom.xml"));
    assertTrue(pom.contains("<finalName>relay-node</finalName>"));
    assertTrue(dockerfile.contains("/src/relay-node/target/relay-node.jar"));
    assertTrue(dockerfile.contains("EXPOSE 3000 25520 8558"));
    assertTrue(dockerfile.contains("USER 10001"), "the node does not run as root");
    assertTrue(dockerfile.contains("-XX:ArchiveClassesAtExit=/opt/relay/relay-node.jsa")
        && dockerfile.contains("-cp /opt/relay/relay-node.jar " + dev.relaycluster.node.ClassArchiveTraining.class.getName())
        && dockerfile.contains("RELAY_JAR=/opt/relay/relay-node.jar")
        && dockerfile.contains("ENTRYPOINT [\"/opt/relay/run-node.sh\"]"),
        "the image trains its class-data archive against the jar where it runs, and starts through run-node.sh");
    String runNode = Files.readString(DEPLOY.resolve("run-node.sh"));
    assertTrue(runNode.contains("${jar%.jar}.jsa") && runNode.contains("-XX:SharedArchiveFile="),
        "run-node.sh finds the archive beside the jar, where the image and mvn package put it");
    String local = Files.readString(DEPLOY.resolve("local/nginx.conf.template"));
    for (String directive : List.of("proxy_buffering off", "proxy_next_upstream error timeout http_502 http_503 non_idempotent")) {
      assertTrue(local.contains(directive) && Files.readString(DEPLOY.resolve("compose/nginx.conf")).contains(directive),
          "both balancers: " + directive);
    }
  }
}
