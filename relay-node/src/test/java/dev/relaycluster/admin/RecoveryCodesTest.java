package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ten codes, readable, distinct; typed loosely they hash the same; per admin they hash differently. */
class RecoveryCodesTest {
  @Test
  void tenDistinctCodesInGroupsOfFour() {
    List<String> codes = RecoveryCodes.generate();
    assertEquals(10, codes.size());
    assertEquals(10, new HashSet<>(codes).size());
    for (String c : codes) {
      assertTrue(c.matches("[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}"), c);
    }
  }

  @Test
  void aCodeTypedWithoutDashesInLowerCaseIsTheSameCode() {
    String code = RecoveryCodes.generate().get(0);
    String loose = " " + code.replace("-", "").toLowerCase() + " ";
    assertEquals(RecoveryCodes.hash("ann", code), RecoveryCodes.hash("ann", loose));
    assertTrue(RecoveryCodes.hash("ann", code).orElseThrow().matches("[0-9a-f]{64}"));
  }

  @Test
  void theSameCodeHashesDifferentlyForAnotherAdmin() {
    String code = RecoveryCodes.generate().get(0);
    assertNotEquals(RecoveryCodes.hash("ann", code), RecoveryCodes.hash("bob", code));
  }

  @Test
  void whatCannotBeACodeHasNoHash() {
    assertTrue(RecoveryCodes.hash("ann", "123456").isEmpty());
    assertTrue(RecoveryCodes.hash("ann", "ABCD-EFGH-JKLM-NPQ1").isEmpty());
    assertTrue(RecoveryCodes.hash("ann", "ABCD-EFGH-JKLM-NPQRS").isEmpty());
    assertTrue(RecoveryCodes.hash("ann", null).isEmpty());
  }
}
