package dev.relaycluster.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh PostgreSQL databases on the local server (127.0.0.1:5432, trust auth) for tests that need
 * the cluster profile: each test class gets its own database, dropped afterwards.
 */
public final class TestDatabases {
  public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private TestDatabases() {}

  /** Creates a new database and returns its JDBC URL. */
  public static String create() throws SQLException {
    String name = "relay_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
         Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://127.0.0.1:5432/" + name;
  }

  public static void drop(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop test database " + name + ": " + e.getMessage());
    }
  }
}
