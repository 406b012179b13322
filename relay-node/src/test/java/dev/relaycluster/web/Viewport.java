package dev.relaycluster.web;

/** The screen sizes the UI must work at: a common laptop and a small phone. */
enum Viewport {
  DESKTOP(1366, 768, false),
  PHONE(390, 844, true);

  final int width;
  final int height;
  final boolean mobile;

  Viewport(int width, int height, boolean mobile) {
    this.width = width;
    this.height = height;
    this.mobile = mobile;
  }

  /** For file names: "1366", "390". */
  String label() {
    return Integer.toString(width);
  }
}
