package dev.relaycluster.admin.crs;

/** Where the claude-relay-service Redis is: host, port, optional user and password, database number, TLS. */
public record CrsRedis(String host, int port, String username, String password, int db, boolean tls) {

  /** From a {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…} (TLS) URL. */
  public static CrsRedis parse(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("redis: not a URL like redis://:password@host:6379/0");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("redis: the URL must start with redis:// or rediss:// (TLS)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("redis: the URL names no host");
    }
    String user = null;
    String pass = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      String decodedUser = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
      user = decodedUser.isEmpty() ? null : decodedUser;
      pass = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8) : null;
      if (parts.length == 1) {
        pass = user;
        user = null;
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
    int db;
    try {
      db = path.isEmpty() ? 0 : Integer.parseInt(path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("redis: the database after the / must be a number");
    }
    return new CrsRedis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, user, pass, db,
        scheme.equals("rediss"));
  }

  @Override
  public String toString() {
    return (tls ? "rediss" : "redis") + "://" + host + ":" + port + "/" + db;
  }
}
