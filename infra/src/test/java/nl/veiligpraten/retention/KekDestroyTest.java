package nl.veiligpraten.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.infra.crypto.CryptoException;
import nl.veiligpraten.infra.crypto.DataKey;
import nl.veiligpraten.infra.crypto.DataKeyWrapper;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.crypto.WrappedKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Destroying a superseded KEK version (crypto-shredding outside the database)")
class KekDestroyTest {

  @TempDir Path dir;

  @Test
  @DisplayName(
      "a destroyed version is gone in memory and on disk, so keys wrapped under it (e.g. in an old dump) "
          + "never unwrap again, while the current version keeps working")
  void destroyMakesOldWrapsUseless() {
    char[] pw = "test passphrase".toCharArray();
    Path file = dir.resolve("keys.bcfks");
    UUID conversation = UUID.randomUUID();
    WrappedKey old;
    WrappedKey fresh;
    try (OrganisationKeyStore store = OrganisationKeyStore.openOrCreate(file, pw.clone(), true)) {
      store.ensureOrganisation("csg");
      DataKeyWrapper wrapper = new DataKeyWrapper(store);
      old = wrapper.wrap(DataKey.generate(conversation), "csg");
      store.rotate("csg");
      fresh = wrapper.wrap(DataKey.generate(conversation), "csg");
      assertEquals("csg#v1", old.keyId());
      assertEquals("csg#v2", fresh.keyId());
      assertTrue(store.destroy(KeyId.parse("csg#v1")));
      assertFalse(store.destroy(KeyId.parse("csg#v1")), "idempotent");
      CryptoException e =
          assertThrows(CryptoException.class, () -> wrapper.unwrap(old, "csg", conversation));
      assertTrue(e.getMessage().contains("not in the organisation key store"), e.getMessage());
      wrapper.unwrap(fresh, "csg", conversation).destroy();
      assertEquals(List.of(KeyId.parse("csg#v2")), store.keyIds("csg"));
    }
    try (OrganisationKeyStore reopened =
        OrganisationKeyStore.openOrCreate(file, pw.clone(), false)) {
      DataKeyWrapper wrapper = new DataKeyWrapper(reopened);
      assertTrue(reopened.key(KeyId.parse("csg#v1")).isEmpty());
      assertThrows(CryptoException.class, () -> wrapper.unwrap(old, "csg", conversation));
      wrapper.unwrap(fresh, "csg", conversation).destroy();
      assertEquals(KeyId.parse("csg#v2"), reopened.currentKeyId("csg"));
    }
  }

  @Test
  @DisplayName(
      "a second process sharing the file sees another's rotation and destruction after reloadIfChanged, and "
          + "does not re-read an unchanged file")
  void sharedFileReload() {
    Path file = dir.resolve("shared.bcfks");
    try (OrganisationKeyStore a =
        OrganisationKeyStore.openOrCreate(file, "pw".toCharArray(), true)) {
      a.ensureOrganisation("mores");
      try (OrganisationKeyStore b =
          OrganisationKeyStore.openOrCreate(file, "pw".toCharArray(), false)) {
        assertFalse(b.reloadIfChanged(), "nothing changed");
        a.rotate("mores");
        a.destroy(KeyId.parse("mores#v1"));
        assertTrue(b.reloadIfChanged());
        assertEquals(KeyId.parse("mores#v2"), b.currentKeyId("mores"));
        assertTrue(b.key(KeyId.parse("mores#v1")).isEmpty());
        assertEquals(
            a.key(KeyId.parse("mores#v2")).orElseThrow(),
            b.key(KeyId.parse("mores#v2")).orElseThrow());
        // b's next rotation makes v3, not a second, different v2.
        assertEquals(KeyId.parse("mores#v3"), b.rotate("mores"));
      }
    }
  }

  @Test
  @DisplayName("the current version cannot be destroyed")
  void currentIsRefused() {
    try (OrganisationKeyStore store =
        OrganisationKeyStore.openOrCreate(dir.resolve("k.bcfks"), "pw".toCharArray(), true)) {
      store.ensureOrganisation("sense");
      assertThrows(CryptoException.class, () -> store.destroy(KeyId.parse("sense#v1")));
      assertTrue(store.key(KeyId.parse("sense#v1")).isPresent());
    }
  }
}
