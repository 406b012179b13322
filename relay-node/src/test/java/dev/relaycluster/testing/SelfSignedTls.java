package dev.relaycluster.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate (made by the JDK's keytool, valid two days) for the given DNS names, with
 * an https server on loopback that answers {@code POST /v1/messages} with the mock's JSON message, and
 * the trust a client needs to accept it.
 */
public final class SelfSignedTls {
  private final SSLContext server;
  private final TrustManagerFactory trust;

  private SelfSignedTls(SSLContext server, TrustManagerFactory trust) {
    this.server = server;
    this.trust = trust;
  }

  public static SelfSignedTls forNames(String... dnsNames) throws Exception {
    Path keystore = Files.createTempDirectory("upstream-tls-").resolve("upstream.p12");
    String san = "SAN=" + String.join(",", java.util.Arrays.stream(dnsNames).map(n -> "dns:" + n).toList());
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "upstream", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=upstream", "-validity", "2",
        "-ext", san).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ks);
    return new SelfSignedTls(server, trust);
  }

  public TrustManagerFactory trust() {
    return trust;
  }

  /** A client context that trusts only this certificate. */
  public SSLContext clientContext() throws Exception {
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, trust.getTrustManagers(), null);
    return client;
  }

  /** Started; stop it with {@code stop(0)}. */
  public HttpsServer messagesServer() throws IOException {
    HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tls.setHttpsConfigurator(new HttpsConfigurator(server));
    tls.createContext("/v1/messages", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = MockAnthropic.MESSAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    tls.start();
    return tls;
  }
}
