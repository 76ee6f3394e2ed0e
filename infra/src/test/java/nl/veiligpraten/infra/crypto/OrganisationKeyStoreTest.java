package nl.veiligpraten.infra.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("OrganisationKeyStore")
class OrganisationKeyStoreTest {

  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  @TempDir Path dir;

  private Path storeFile() {
    return dir.resolve("keys").resolve("org-keys.bcfks");
  }

  private OrganisationKeyStore create() {
    return OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, true);
  }

  @Test
  @DisplayName(
      "creating a store writes the file immediately, owner-only readable, with no temp files left behind")
  void createWritesFile() throws Exception {
    try (OrganisationKeyStore store = create()) {
      assertTrue(Files.isRegularFile(storeFile()));
      assertEquals(Set.of(), store.organisations());
      if (Files.getFileStore(storeFile()).supportsFileAttributeView("posix")) {
        assertEquals(
            "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeFile())));
      }
      try (Stream<Path> files = Files.list(storeFile().getParent())) {
        assertEquals(List.of(storeFile()), files.toList());
      }
    }
  }

  @Test
  @DisplayName(
      "a store saved with the demo's cheap store KDF opens with the default one and the other way round; "
          + "fewer than 1,000 iterations are refused")
  void storeKdfIterationsAreReadFromTheFile() {
    KeyId id;
    SecretKey kek;
    try (OrganisationKeyStore cheap =
        OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, true, 1_000)) {
      id = cheap.ensureOrganisation("csg");
      kek = cheap.key(id).orElseThrow();
    }
    try (OrganisationKeyStore strong =
        OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false)) {
      assertArrayEquals(kek.getEncoded(), strong.key(id).orElseThrow().getEncoded());
      strong.rotate("csg");
    }
    try (OrganisationKeyStore cheap =
        OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false, 1_000)) {
      assertEquals("csg#v2", cheap.currentKeyId("csg").toString());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false, 999));
    assertThrows(
        CryptoException.class,
        () -> OrganisationKeyStore.openOrCreate(storeFile(), "wrong".toCharArray(), false, 1_000));
  }

  @Test
  @DisplayName("ensureOrganisation creates org#v1 once and is idempotent afterwards")
  void ensureOrganisationIsIdempotent() {
    try (OrganisationKeyStore store = create()) {
      KeyId id = store.ensureOrganisation("csg");
      assertEquals("csg#v1", id.toString());
      assertEquals(id, store.ensureOrganisation("csg"));
      assertEquals(id, store.currentKeyId("csg"));
      SecretKey kek = store.key(id).orElseThrow();
      assertEquals("AES", kek.getAlgorithm());
      assertEquals(32, kek.getEncoded().length);
    }
  }

  @Test
  @DisplayName("two organisations get different KEKs")
  void organisationsHaveDistinctKeys() {
    try (OrganisationKeyStore store = create()) {
      SecretKey a = store.key(store.ensureOrganisation("a")).orElseThrow();
      SecretKey b = store.key(store.ensureOrganisation("b")).orElseThrow();
      assertFalse(Arrays.equals(a.getEncoded(), b.getEncoded()));
    }
  }

  @Test
  @DisplayName(
      "rotation: keys wrapped under v1 still unwrap after rotating, while new wraps use v2")
  void rotationKeepsOldVersionsUsable() {
    UUID conversation = UUID.randomUUID();
    try (OrganisationKeyStore store = create()) {
      DataKeyWrapper wrapper = new DataKeyWrapper(store);
      store.ensureOrganisation("csg");
      DataKey key = DataKey.generate(conversation);
      WrappedKey underV1 = wrapper.wrap(key, "csg");
      assertEquals("csg#v1", underV1.keyId());

      KeyId v2 = store.rotate("csg");
      assertEquals("csg#v2", v2.toString());
      assertEquals(v2, store.currentKeyId("csg"));
      assertNotEquals(
          Arrays.toString(store.key(KeyId.parse("csg#v1")).orElseThrow().getEncoded()),
          Arrays.toString(store.key(v2).orElseThrow().getEncoded()));

      WrappedKey underV2 = wrapper.wrap(key, "csg");
      assertEquals("csg#v2", underV2.keyId());
      assertArrayEquals(key.material(), wrapper.unwrap(underV1, "csg", conversation).material());
      assertArrayEquals(key.material(), wrapper.unwrap(underV2, "csg", conversation).material());
      assertEquals(List.of(KeyId.parse("csg#v1"), v2), store.keyIds("csg"));
    }
  }

  @Test
  @DisplayName(
      "reopening the store file with the passphrase keeps every key version and the current version")
  void reopenKeepsAllVersions() {
    UUID conversation = UUID.randomUUID();
    DataKey key = DataKey.generate(conversation);
    WrappedKey underV1;
    WrappedKey underV3;
    byte[] v1Bytes;
    try (OrganisationKeyStore store = create()) {
      DataKeyWrapper wrapper = new DataKeyWrapper(store);
      store.ensureOrganisation("csg");
      store.ensureOrganisation("other");
      underV1 = wrapper.wrap(key, "csg");
      store.rotate("csg");
      store.rotate("csg");
      underV3 = wrapper.wrap(key, "csg");
      v1Bytes = store.key(KeyId.parse("csg#v1")).orElseThrow().getEncoded();
    }
    try (OrganisationKeyStore reopened =
        OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false)) {
      assertEquals(Set.of("csg", "other"), reopened.organisations());
      assertEquals("csg#v3", reopened.currentKeyId("csg").toString());
      assertEquals("other#v1", reopened.currentKeyId("other").toString());
      assertEquals(3, reopened.keyIds("csg").size());
      assertArrayEquals(v1Bytes, reopened.key(KeyId.parse("csg#v1")).orElseThrow().getEncoded());
      DataKeyWrapper wrapper = new DataKeyWrapper(reopened);
      assertArrayEquals(key.material(), wrapper.unwrap(underV1, "csg", conversation).material());
      assertArrayEquals(key.material(), wrapper.unwrap(underV3, "csg", conversation).material());
      assertEquals("csg#v4", reopened.rotate("csg").toString());
    }
  }

  @Test
  @DisplayName(
      "the passphrase array passed in may be wiped by the caller without affecting the store")
  void passphraseIsCopied() {
    char[] mine = "wipe me".toCharArray();
    try (OrganisationKeyStore store = OrganisationKeyStore.openOrCreate(storeFile(), mine, true)) {
      Arrays.fill(mine, '\0');
      store.ensureOrganisation("csg");
    }
    try (OrganisationKeyStore store =
        OrganisationKeyStore.openOrCreate(storeFile(), "wipe me".toCharArray(), false)) {
      assertEquals("csg#v1", store.currentKeyId("csg").toString());
    }
  }

  @Test
  @DisplayName("a wrong passphrase fails with a message naming the passphrase and the file")
  void wrongPassphrase() {
    try (OrganisationKeyStore store = create()) {
      store.ensureOrganisation("csg");
    }
    CryptoException e =
        assertThrows(
            CryptoException.class,
            () -> OrganisationKeyStore.openOrCreate(storeFile(), "wrong".toCharArray(), false));
    assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
    assertTrue(e.getMessage().contains(storeFile().toString()), e.getMessage());
    // createIfMissing must never turn a failed open into a fresh empty store.
    assertThrows(
        CryptoException.class,
        () -> OrganisationKeyStore.openOrCreate(storeFile(), "wrong".toCharArray(), true));
  }

  @Test
  @DisplayName("a missing file without createIfMissing fails clearly instead of starting empty")
  void missingFile() {
    CryptoException e =
        assertThrows(
            CryptoException.class,
            () -> OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertFalse(Files.exists(storeFile()));
  }

  @Test
  @DisplayName(
      "an empty, garbage, truncated or bit-flipped store file fails with a clear error and is left untouched")
  void corruptFiles() throws Exception {
    try (OrganisationKeyStore store = create()) {
      store.ensureOrganisation("csg");
    }
    byte[] good = Files.readAllBytes(storeFile());

    assertCorrupt(new byte[0], "empty");
    assertCorrupt(
        "this is not a key store".getBytes(StandardCharsets.UTF_8),
        "not a readable BCFKS key store");
    assertCorrupt(Arrays.copyOf(good, good.length / 2), "not a readable BCFKS key store");
    byte[] flipped = good.clone();
    flipped[flipped.length - 40] ^= 0x01;
    assertCorrupt(flipped, "integrity check failed");
  }

  private void assertCorrupt(byte[] content, String expectedMessagePart) throws Exception {
    Files.write(storeFile(), content);
    CryptoException e =
        assertThrows(
            CryptoException.class,
            () -> OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, true));
    assertTrue(
        e.getMessage().startsWith("cannot open organisation key store " + storeFile()),
        e.getMessage());
    assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    assertArrayEquals(
        content, Files.readAllBytes(storeFile()), "a failed open must not overwrite the file");
  }

  @Test
  @DisplayName("an empty passphrase is refused")
  void emptyPassphrase() {
    assertThrows(
        CryptoException.class,
        () -> OrganisationKeyStore.openOrCreate(storeFile(), new char[0], true));
  }

  @Test
  @DisplayName(
      "rotating an organisation that has no KEK yet fails; unknown KEK versions are simply absent")
  void rotateUnknownOrganisation() {
    try (OrganisationKeyStore store = create()) {
      assertThrows(CryptoException.class, () -> store.rotate("nobody"));
      assertThrows(CryptoException.class, () -> store.currentKeyId("nobody"));
      assertEquals(Optional.empty(), store.key(KeyId.parse("nobody#v1")));
      assertEquals(List.of(), store.keyIds("nobody"));
    }
  }

  @Test
  @DisplayName(
      "a failed save leaves the new key unused and the in-memory state consistent with the file")
  void failedSaveRollsBack() throws Exception {
    try (OrganisationKeyStore store = create()) {
      store.ensureOrganisation("csg");
      // Make the target directory unwritable-by-replacement: put a directory where the temp file
      // goes? Simpler:
      // replace the store's directory with a regular file so createTempFile fails.
      Path keysDir = storeFile().getParent();
      Path moved = dir.resolve("moved");
      Files.move(keysDir, moved);
      Files.writeString(keysDir, "not a directory");
      assertThrows(CryptoException.class, () -> store.rotate("csg"));
      assertEquals("csg#v1", store.currentKeyId("csg").toString());
      assertEquals(Optional.empty(), store.key(KeyId.parse("csg#v2")));
      Files.delete(keysDir);
      Files.move(moved, keysDir);
      assertEquals("csg#v2", store.rotate("csg").toString());
    }
    try (OrganisationKeyStore reopened =
        OrganisationKeyStore.openOrCreate(storeFile(), PASSPHRASE, false)) {
      assertEquals("csg#v2", reopened.currentKeyId("csg").toString());
    }
  }

  @Test
  @DisplayName("a closed store refuses to be used")
  void closedStore() {
    OrganisationKeyStore store = create();
    KeyId id = store.ensureOrganisation("csg");
    store.close();
    assertThrows(IllegalStateException.class, () -> store.key(id));
    assertThrows(IllegalStateException.class, () -> store.rotate("csg"));
    assertThrows(IllegalStateException.class, store::save);
  }

  @Test
  @DisplayName("organisation ids must be simple tokens so key ids stay unambiguous")
  void orgIdValidation() {
    try (OrganisationKeyStore store = create()) {
      assertThrows(IllegalArgumentException.class, () -> store.ensureOrganisation("a#b"));
      assertThrows(IllegalArgumentException.class, () -> store.ensureOrganisation(""));
      assertThrows(IllegalArgumentException.class, () -> store.ensureOrganisation(" csg"));
    }
  }

  @Test
  @DisplayName("key ids parse only in their canonical orgId#vN form")
  void keyIdParsing() {
    assertEquals(new KeyId("csg", 12), KeyId.parse("csg#v12"));
    assertEquals("csg#v12", new KeyId("csg", 12).toString());
    for (String bad :
        List.of(
            "csg",
            "csg#v0",
            "csg#v01",
            "csg#V1",
            "csg#v1 ",
            "#v1",
            "a#b#v1",
            "csg#v-1",
            "csg#v1234567890")) {
      assertThrows(IllegalArgumentException.class, () -> KeyId.parse(bad), bad);
    }
  }

  @Nested
  @DisplayName("passphrase policy")
  class PassphrasePolicy {

    @Test
    @DisplayName("VP_KEYSTORE_PASSPHRASE wins and is not flagged as generated")
    void fromEnvironment() throws Exception {
      Path file = dir.resolve("pp");
      Files.writeString(file, "from-file");
      PassphraseSource s =
          OrganisationKeyStore.passphraseFrom(
              Map.of(
                  "VP_KEYSTORE_PASSPHRASE",
                  "from-env",
                  "VP_KEYSTORE_PASSPHRASE_FILE",
                  file.toString()),
              dir);
      assertArrayEquals("from-env".toCharArray(), s.value());
      assertFalse(s.generatedForDev());
      assertEquals("environment variable VP_KEYSTORE_PASSPHRASE", s.description());
      assertFalse(s.toString().contains("from-env"));
    }

    @Test
    @DisplayName("VP_KEYSTORE_PASSPHRASE_FILE is read as UTF-8 with one trailing newline ignored")
    void fromFile() throws Exception {
      Path file = dir.resolve("secret");
      Files.writeString(file, "geheim wachtwoord é \n");
      PassphraseSource s =
          OrganisationKeyStore.passphraseFrom(
              Map.of("VP_KEYSTORE_PASSPHRASE_FILE", file.toString()), dir);
      assertArrayEquals("geheim wachtwoord é ".toCharArray(), s.value());
      assertFalse(s.generatedForDev());
      assertTrue(s.description().contains(file.toString()));
      s.wipe();
      assertArrayEquals(new char[s.value().length], s.value());
    }

    @Test
    @DisplayName(
        "an unreadable or empty passphrase file, or an empty variable, is an error rather than a fallback")
    void misconfigurationFails() throws Exception {
      assertThrows(
          CryptoException.class,
          () ->
              OrganisationKeyStore.passphraseFrom(
                  Map.of(
                      "VP_KEYSTORE_PASSPHRASE_FILE",
                      dir.resolve("absent").toString(),
                      "VP_DEV_MODE",
                      "true"),
                  dir));
      Path empty = dir.resolve("empty");
      Files.writeString(empty, "\n");
      assertThrows(
          CryptoException.class,
          () ->
              OrganisationKeyStore.passphraseFrom(
                  Map.of("VP_KEYSTORE_PASSPHRASE_FILE", empty.toString()), dir));
      assertThrows(
          CryptoException.class,
          () ->
              OrganisationKeyStore.passphraseFrom(
                  Map.of("VP_KEYSTORE_PASSPHRASE", "", "VP_DEV_MODE", "true"), dir));
    }

    @Test
    @DisplayName(
        "without configuration and outside dev mode there is no passphrase and the error says what to set")
    void nothingConfigured() {
      CryptoException e =
          assertThrows(
              CryptoException.class, () -> OrganisationKeyStore.passphraseFrom(Map.of(), dir));
      assertTrue(e.getMessage().contains("VP_KEYSTORE_PASSPHRASE"), e.getMessage());
      assertThrows(
          CryptoException.class,
          () -> OrganisationKeyStore.passphraseFrom(Map.of("VP_DEV_MODE", "false"), dir));
      assertFalse(Files.exists(dir.resolve(OrganisationKeyStore.DEV_PASSPHRASE_FILE_NAME)));
    }

    @Test
    @DisplayName(
        "dev mode generates a random owner-only passphrase file once, reuses it, and flags it for a warning")
    void devModeGeneratesAndReuses() throws Exception {
      Path dataDir = dir.resolve("data");
      PassphraseSource first =
          OrganisationKeyStore.passphraseFrom(Map.of("VP_DEV_MODE", "true"), dataDir);
      assertTrue(first.generatedForDev());
      assertTrue(first.description().contains("NOT safe for production"), first.description());
      assertTrue(first.value().length >= 43, "256 random bits, base64url");
      Path file = dataDir.resolve(OrganisationKeyStore.DEV_PASSPHRASE_FILE_NAME);
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        assertEquals(
            "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      }

      PassphraseSource second =
          OrganisationKeyStore.passphraseFrom(Map.of("VP_DEV_MODE", "1"), dataDir);
      assertTrue(second.generatedForDev());
      assertArrayEquals(
          first.value(), second.value(), "restarting must not lock the developer out");

      // And it actually opens a store across "restarts".
      try (OrganisationKeyStore s =
          OrganisationKeyStore.openOrCreate(dataDir.resolve("k.bcfks"), first.value(), true)) {
        s.ensureOrganisation("dev");
      }
      try (OrganisationKeyStore s =
          OrganisationKeyStore.openOrCreate(dataDir.resolve("k.bcfks"), second.value(), false)) {
        assertEquals("dev#v1", s.currentKeyId("dev").toString());
      }
    }
  }
}
