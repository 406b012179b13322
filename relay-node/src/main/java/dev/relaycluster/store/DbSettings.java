package dev.relaycluster.store;

/**
 * Where the database is, as store/ needs it: an empty url means the embedded H2 file journal under the data
 * directory. Implemented by the configuration's record (config/ sits above store/), so store/ reads no
 * configuration class.
 */
public interface DbSettings {
  String url();

  String user();

  String password();

  int poolSize();

  default boolean embedded() {
    return url().isBlank();
  }
}
