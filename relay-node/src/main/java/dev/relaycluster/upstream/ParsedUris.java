package dev.relaycluster.upstream;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.Uri;

/**
 * Upstream URIs, parsed once: every call to an account goes to one of a few URIs (its base URL, the
 * endpoint's path, usually no query), and parsing one is a parser run per request. At most
 * {@value #MAX_ENTRIES} are kept; beyond that (clients sending ever new query strings) a URI is parsed
 * each time.
 */
final class ParsedUris {
  static final int MAX_ENTRIES = 1024;

  private final ConcurrentHashMap<String, Uri> parsed = new ConcurrentHashMap<>();

  /** The parsed URI; throws {@link org.apache.pekko.http.scaladsl.model.IllegalUriException} as {@code Uri.create}. */
  Uri of(String uri) {
    Uri known = parsed.get(uri);
    if (known != null) {
      return known;
    }
    Uri fresh = Uri.create(uri);
    if (parsed.size() < MAX_ENTRIES) {
      parsed.putIfAbsent(uri, fresh);
    }
    return fresh;
  }

  int size() {
    return parsed.size();
  }
}
