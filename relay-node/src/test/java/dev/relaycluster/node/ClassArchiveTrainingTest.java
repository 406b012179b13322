package dev.relaycluster.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The build runs {@link ClassArchiveTraining} after packaging; a route or answer it relies on that
 * changed would fail {@code mvn package}. This catches that in the test run instead.
 */
class ClassArchiveTrainingTest {
  @Test
  void theTrainingRunWalksAFirstRequestsPathsAgainstTheCurrentRoutes() {
    assertDoesNotThrow(ClassArchiveTraining::train);
  }
}
