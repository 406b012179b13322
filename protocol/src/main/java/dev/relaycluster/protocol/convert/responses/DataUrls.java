package dev.relaycluster.protocol.convert.responses;

/** {@code data:<media type>;base64,<data>} addresses, as Responses carries inline images and files. */
final class DataUrls {

  private DataUrls() {}

  /** [media type (may be null), base64 data] of a base64 data URL, or null when {@code url} is not one. */
  static String[] parse(String url) {
    if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
      return null;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return null;
    }
    String head = url.substring(5, comma);
    if (!head.toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
      return null;
    }
    String mediaType = head.substring(0, head.length() - ";base64".length());
    return new String[] {mediaType.isEmpty() ? null : mediaType, url.substring(comma + 1)};
  }

  /** The data URL of {@code data} (base64) of {@code mediaType}. */
  static String of(String mediaType, String data) {
    return "data:" + (mediaType == null ? "application/octet-stream" : mediaType) + ";base64," + data;
  }
}
