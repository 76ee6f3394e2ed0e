package nl.veiligpraten.infra.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.util.PBKDF2Config;
import org.bouncycastle.crypto.util.PBKDFConfig;
import org.bouncycastle.jcajce.BCFKSLoadStoreParameter;

/**
 * File-backed store of per-organisation key-encryption keys (KEKs): AES-256 keys in a Bouncy Castle
 * {@code BCFKS} key store, protected by a passphrase.
 *
 * <p>Each organisation has versioned KEKs with {@link KeyId key ids} {@code orgId#v1}, {@code
 * orgId#v2}, …; the highest version is <em>current</em> and is used for all new wraps. Older
 * versions are kept forever (until an operator deliberately removes them) so that data keys wrapped
 * before a {@link #rotate rotation} still unwrap; rotation never requires re-encrypting history.
 *
 * <p><b>Durability:</b> {@link #ensureOrganisation} and {@link #rotate} persist the new KEK to disk
 * <em>before</em> it becomes current. Otherwise a crash between "rotate" and "save" would leave
 * data keys wrapped under a KEK that exists only in a dead process's memory – i.e. silently
 * shredded transcripts. {@link #save()} writes to a temp file in the same directory, fsyncs it and
 * atomically renames it over the old file, so the file on disk is always either the old or the new
 * complete store.
 *
 * <p><b>Protection at rest:</b> BCFKS encrypts (AES-CCM) and MACs (HMAC-SHA512) the whole store
 * under keys derived from the passphrase with PBKDF2-HMAC-SHA512 (210,000 iterations), and each
 * entry is additionally encrypted under its own PBKDF2-derived key (BC default parameters). The
 * file is created owner-read/write only where the file system supports POSIX permissions.
 *
 * <p><b>Failures:</b> a wrong passphrase, a corrupt/truncated file or an unexpected entry give a
 * {@link CryptoException} with an explicit message; nothing ever falls back to an empty store
 * unless the file is genuinely absent and {@code createIfMissing} was requested.
 *
 * <p>Thread-safe. Recovered KEKs are cached in memory because recovering a BCFKS entry runs a
 * deliberately slow key derivation (tens of milliseconds).
 */
public final class OrganisationKeyStore implements AutoCloseable {

  /** Environment variable holding the key store passphrase itself. */
  public static final String ENV_PASSPHRASE = "VP_KEYSTORE_PASSPHRASE";

  /** Environment variable naming a file that holds the passphrase (e.g. a mounted secret). */
  public static final String ENV_PASSPHRASE_FILE = "VP_KEYSTORE_PASSPHRASE_FILE";

  /** Environment variable enabling dev mode ({@code true}/{@code 1}/{@code yes}). */
  public static final String ENV_DEV_MODE = "VP_DEV_MODE";

  /** Name of the generated dev-mode passphrase file inside the data directory. */
  public static final String DEV_PASSPHRASE_FILE_NAME = "keystore-passphrase.dev";

  private static final String KEYSTORE_TYPE = "BCFKS";
  private static final int KEK_BYTES = 32;

  /**
   * Store-level key derivation of {@link #save()}: PBKDF2-HMAC-SHA512 with 210,000 iterations
   * (OWASP 2023 guidance; BCFKS's default is 51,200) and a 256-bit salt. ≈0.4 s per open/save on a
   * small VM, which is paid once at start-up and on rotation. scrypt would be memory-hard, but BC's
   * pure-Java scrypt took ~3.5 s per derivation at N=2^16 here; a high-entropy (generated)
   * passphrase matters far more than the KDF anyway.
   */
  public static final int STORE_KDF_ITERATIONS = 210_000;

  private static PBKDFConfig storeKdf(int iterations) {
    return new PBKDF2Config.Builder()
        .withPRF(PBKDF2Config.PRF_SHA512)
        .withIterationCount(iterations)
        .withSaltLength(32)
        .build();
  }

  private final Path file;
  private KeyStore
      keyStore; // guarded by lock: JCA KeyStore instances aren't thread-safe; replaced by reload()
  private final char[] passphrase; // guarded by lock; zeroed by close()
  private final Object lock = new Object();
  private final PBKDFConfig
      storeKdf; // used by save(); a load reads the parameters from the file itself
  private final ConcurrentMap<String, KeyId> current = new ConcurrentHashMap<>();
  private final ConcurrentMap<KeyId, SecretKey> cache = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile String fileStamp =
      ""; // modification time + size when this instance last read/wrote the file

  private OrganisationKeyStore(
      Path file, KeyStore keyStore, char[] passphrase, int storeKdfIterations) {
    this.file = file;
    this.keyStore = keyStore;
    this.passphrase = passphrase.clone();
    this.storeKdf = storeKdf(storeKdfIterations);
  }

  /**
   * Opens the key store at {@code file}, or creates (and immediately saves) an empty one if the
   * file does not exist and {@code createIfMissing} is set.
   *
   * @param file key store path
   * @param passphrase key store passphrase; copied, so the caller may wipe its array afterwards
   * @param createIfMissing whether a missing file may be created; use {@code false} in production
   *     once the store exists, so a lost volume mount fails loudly instead of starting empty
   * @throws CryptoException if the passphrase is wrong, the file is corrupt/unreadable/not a key
   *     store, or the file is missing and creation wasn't allowed
   */
  public static OrganisationKeyStore openOrCreate(
      Path file, char[] passphrase, boolean createIfMissing) {
    return openOrCreate(file, passphrase, createIfMissing, STORE_KDF_ITERATIONS);
  }

  /**
   * As {@link #openOrCreate(Path, char[], boolean)}, with another iteration count for the
   * store-level PBKDF2 of every {@link #save()}. Only for a store whose passphrase is public anyway
   * (the demo passphrase): there the derivation protects nothing and its cost (two derivations per
   * save, several saves per fresh start) is pure start-up time. Opening reads the count from the
   * file, so either store opens with either setting.
   *
   * @param storeKdfIterations PBKDF2-HMAC-SHA512 iterations for saving, at least 1,000
   */
  public static OrganisationKeyStore openOrCreate(
      Path file, char[] passphrase, boolean createIfMissing, int storeKdfIterations) {
    if (storeKdfIterations < 1_000) {
      throw new IllegalArgumentException(
          "store KDF iterations must be at least 1,000, got " + storeKdfIterations);
    }
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length == 0) {
      throw new CryptoException("organisation key store passphrase is empty");
    }
    KeyStore ks = newKeyStore();
    if (Files.exists(file)) {
      ks = load(file, passphrase, ks);
      OrganisationKeyStore store =
          new OrganisationKeyStore(file, ks, passphrase, storeKdfIterations);
      store.indexEntries();
      store.fileStamp = stamp(file);
      return store;
    }
    if (!createIfMissing) {
      throw new CryptoException(
          "organisation key store "
              + file
              + " does not exist"
              + " (and creating a new, empty one was not requested); without it no transcript can be decrypted");
    }
    try {
      ks.load(null, null);
    } catch (IOException | GeneralSecurityException e) {
      throw new CryptoException("cannot initialise an empty " + KEYSTORE_TYPE + " key store", e);
    }
    OrganisationKeyStore store = new OrganisationKeyStore(file, ks, passphrase, storeKdfIterations);
    store.save();
    return store;
  }

  private static KeyStore newKeyStore() {
    try {
      return KeyStore.getInstance(KEYSTORE_TYPE, CryptoSupport.BC);
    } catch (KeyStoreException e) {
      throw new CryptoException(
          "Bouncy Castle does not provide the " + KEYSTORE_TYPE + " key store type", e);
    }
  }

  private static KeyStore load(Path file, char[] passphrase, KeyStore ks) {
    String prefix = "cannot open organisation key store " + file + ": ";
    if (!Files.isRegularFile(file)) {
      throw new CryptoException(prefix + "not a regular file");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CryptoException(
          prefix + "file cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (content.length == 0) {
      throw new CryptoException(prefix + "the file is empty (corrupt or truncated)");
    }
    try {
      ks.load(new ByteArrayInputStream(content), passphrase);
      return ks;
    } catch (IOException e) {
      // BCFKS verifies an HMAC over the whole store with a passphrase-derived key before anything
      // else.
      // A wrong passphrase and a modified file are cryptographically indistinguishable, so say
      // both.
      if (isIntegrityFailure(e)) {
        throw new CryptoException(
            prefix
                + "wrong passphrase, or the file has been modified or corrupted"
                + " (integrity check failed)",
            e);
      }
      throw new CryptoException(
          prefix
              + "not a readable "
              + KEYSTORE_TYPE
              + " key store (corrupt, truncated or wrong format)",
          e);
    } catch (GeneralSecurityException | RuntimeException e) {
      // BC throws assorted runtime exceptions (even NPEs) on malformed ASN.1; never let them escape
      // raw.
      throw new CryptoException(
          prefix
              + "not a readable "
              + KEYSTORE_TYPE
              + " key store (corrupt, truncated or wrong format)",
          e);
    }
  }

  private static boolean isIntegrityFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecoverableKeyException) {
        return true;
      }
      String msg = t.getMessage();
      String lower = msg == null ? "" : msg.toLowerCase(Locale.ROOT);
      // BC: "BCFKS KeyStore corrupted: MAC calculation failed" / "mac check in CCM failed"
      if (lower.contains("mac calculation") || lower.contains("mac check")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builds the org → current version index from the aliases; rejects anything that isn't one of our
   * KEKs.
   */
  private void indexEntries() {
    synchronized (lock) {
      try {
        for (String alias : Collections.list(keyStore.aliases())) {
          KeyId id;
          try {
            id = KeyId.parse(alias);
          } catch (IllegalArgumentException e) {
            throw new CryptoException(
                "organisation key store "
                    + file
                    + " contains an unexpected entry '"
                    + alias
                    + "' (expected key ids like org#v1)");
          }
          if (!keyStore.isKeyEntry(alias)) {
            throw new CryptoException(
                "organisation key store "
                    + file
                    + " entry "
                    + alias
                    + " is not a secret key entry");
          }
          current.merge(id.orgId(), id, (a, b) -> a.version() >= b.version() ? a : b);
        }
      } catch (KeyStoreException e) {
        throw new CryptoException("cannot list entries of organisation key store " + file, e);
      }
    }
  }

  /** The key store file. */
  public Path file() {
    return file;
  }

  /** Organisation ids that have at least one KEK. */
  public Set<String> organisations() {
    ensureOpen();
    return Collections.unmodifiableSet(new TreeSet<>(current.keySet()));
  }

  /** All KEK versions of an organisation, oldest first (empty if it has none). */
  public List<KeyId> keyIds(String orgId) {
    KeyId.requireValidOrgId(orgId);
    ensureOpen();
    KeyId cur = current.get(orgId);
    List<KeyId> ids = new ArrayList<>();
    if (cur != null) {
      synchronized (lock) {
        for (int v = 1; v <= cur.version(); v++) {
          KeyId id = new KeyId(orgId, v);
          if (contains(id)) {
            ids.add(id);
          }
        }
      }
    }
    return List.copyOf(ids);
  }

  /**
   * The organisation's current (highest) KEK version, used for all new wraps.
   *
   * @throws CryptoException if the organisation has no KEK in this store
   */
  public KeyId currentKeyId(String orgId) {
    KeyId.requireValidOrgId(orgId);
    ensureOpen();
    KeyId id = current.get(orgId);
    if (id == null) {
      throw new CryptoException("organisation " + orgId + " has no key-encryption key in " + file);
    }
    return id;
  }

  /**
   * Makes sure the organisation has a KEK, creating and persisting {@code orgId#v1} if it has none.
   *
   * @return the current key id (existing or new)
   * @throws CryptoException if the new key can't be persisted (then it isn't created either)
   */
  public KeyId ensureOrganisation(String orgId) {
    KeyId.requireValidOrgId(orgId);
    synchronized (lock) {
      ensureOpen();
      KeyId existing = current.get(orgId);
      return existing != null ? existing : addKey(KeyId.first(orgId));
    }
  }

  /**
   * Adds a new KEK version for the organisation, persists it, and makes it current. Older versions
   * stay available for unwrapping existing data keys.
   *
   * @return the new current key id
   * @throws CryptoException if the organisation has no KEK yet, or the new key can't be persisted
   */
  public KeyId rotate(String orgId) {
    KeyId.requireValidOrgId(orgId);
    synchronized (lock) {
      return addKey(currentKeyId(orgId).next());
    }
  }

  /**
   * Crypto-shreds a superseded KEK version: removes it from the store and persists the store, so
   * every data key wrapped under it - including copies in old database dumps - can never be
   * unwrapped again. Used by the retention job only after no live wrapped key refers to the version
   * any more. The current version can't be destroyed (new wraps use it).
   *
   * @return {@code true} if the version was in the store and is now gone, {@code false} if it was
   *     already gone
   * @throws CryptoException if it is the current version or the store can't be persisted (then it
   *     stays)
   */
  public boolean destroy(KeyId id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock) {
      ensureOpen();
      if (id.equals(current.get(id.orgId()))) {
        throw new CryptoException(
            "refusing to destroy " + id + ": it is the current key of " + id.orgId());
      }
      String alias = id.toString();
      KeyStore.Entry entry;
      try {
        if (!keyStore.containsAlias(alias)) {
          cache.remove(id);
          return false;
        }
        entry = keyStore.getEntry(alias, new KeyStore.PasswordProtection(passphrase));
        keyStore.deleteEntry(alias);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot remove key-encryption key " + alias + " from " + file, e);
      }
      try {
        save();
      } catch (CryptoException e) {
        // Still on disk → keep it in memory too, so memory and file agree; the next run retries.
        try {
          keyStore.setEntry(alias, entry, new KeyStore.PasswordProtection(passphrase));
        } catch (KeyStoreException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      cache.remove(id);
      return true;
    }
  }

  /**
   * Re-reads the file and makes this instance match it: versions another process added (rotation)
   * become usable and current, versions another process destroyed disappear from memory too. Needed
   * when several nodes share one key store file; without it a node would keep wrapping under a
   * superseded version or, worse, create a second, different "next" version on its next rotation.
   * Blocking (store-level PBKDF2, plus one per new entry).
   *
   * @throws CryptoException if the file can't be read or verified (this instance is then unchanged)
   */
  public void reload() {
    for (int attempt = 0; attempt < 3; attempt++) {
      // The expensive part runs before the lock is taken: the store-level PBKDF2 over the whole
      // file and the
      // per-entry decryption of versions this instance does not hold yet. Under the lock only
      // references are
      // swapped, so a message that needs a key (key() on an event loop) never waits behind a KDF
      // that a
      // rotation on another node started (issue 25).
      String before = stamp(file);
      char[] pass;
      Set<String> known;
      synchronized (lock) {
        ensureOpen();
        pass = passphrase.clone();
        known = aliases(keyStore);
      }
      try {
        KeyStore fresh = load(file, pass, newKeyStore());
        Map<String, KeyId> freshCurrent = new java.util.HashMap<>();
        Set<KeyId> freshIds = new java.util.HashSet<>();
        Map<KeyId, SecretKey> added = new java.util.HashMap<>();
        for (String alias : aliases(fresh)) {
          KeyId id = checkedId(fresh, alias);
          freshIds.add(id);
          freshCurrent.merge(id.orgId(), id, (a, b) -> a.version() >= b.version() ? a : b);
          if (!known.contains(alias)) {
            added.put(id, recover(fresh, alias, pass));
          }
        }
        synchronized (lock) {
          ensureOpen();
          if (!stamp(file).equals(before)) {
            continue; // written while we read it (here or elsewhere): read it again
          }
          keyStore = fresh;
          cache.keySet().removeIf(id -> !freshIds.contains(id));
          cache.putAll(added);
          // Put before removing, so a reader of current never sees an organisation without a key.
          current.putAll(freshCurrent);
          current.keySet().retainAll(freshCurrent.keySet());
          fileStamp = before;
          return;
        }
      } finally {
        Arrays.fill(pass, '\0');
      }
    }
    throw new CryptoException(
        "organisation key store " + file + " kept changing while it was re-read");
  }

  private Set<String> aliases(KeyStore ks) {
    try {
      return new java.util.HashSet<>(Collections.list(ks.aliases()));
    } catch (KeyStoreException e) {
      throw new CryptoException("cannot list entries of organisation key store " + file, e);
    }
  }

  private KeyId checkedId(KeyStore ks, String alias) {
    KeyId id;
    try {
      id = KeyId.parse(alias);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(
          "organisation key store "
              + file
              + " contains an unexpected entry '"
              + alias
              + "' (expected key ids like org#v1)");
    }
    try {
      if (!ks.isKeyEntry(alias)) {
        throw new CryptoException(
            "organisation key store " + file + " entry " + alias + " is not a secret key entry");
      }
    } catch (KeyStoreException e) {
      throw new CryptoException("cannot query organisation key store " + file, e);
    }
    return id;
  }

  /** Decrypts one entry and checks it is an AES-256 key (one per-entry PBKDF2). */
  private SecretKey recover(KeyStore ks, String alias, char[] pass) {
    try {
      Key key = ks.getKey(alias, pass);
      byte[] encoded = key == null ? null : key.getEncoded();
      if (!(key instanceof SecretKey)
          || !"AES".equalsIgnoreCase(key.getAlgorithm())
          || encoded == null
          || encoded.length != KEK_BYTES) {
        throw new CryptoException("key store entry " + alias + " is not an AES-256 key");
      }
      SecretKey kek = new SecretKeySpec(encoded, "AES");
      Arrays.fill(encoded, (byte) 0);
      return kek;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot recover key-encryption key " + alias + " from " + file, e);
    }
  }

  /**
   * {@link #reload()} only if the file changed (modification time or size) since this instance last
   * read or wrote it; saves the PBKDF2 cost when nothing happened.
   *
   * @return whether the file was re-read
   */
  public boolean reloadIfChanged() {
    if (stamp(file).equals(fileStamp)) {
      return false;
    }
    reload();
    return true;
  }

  private static String stamp(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /** Generates, stores and persists a KEK; only then publishes it as current. Caller holds lock. */
  private KeyId addKey(KeyId id) {
    String alias = id.toString();
    byte[] raw = CryptoSupport.randomBytes(KEK_BYTES);
    SecretKey kek = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
    try {
      if (keyStore.containsAlias(alias)) {
        throw new CryptoException("organisation key store already contains " + alias);
      }
      keyStore.setEntry(
          alias, new KeyStore.SecretKeyEntry(kek), new KeyStore.PasswordProtection(passphrase));
    } catch (KeyStoreException e) {
      throw new CryptoException("cannot add key-encryption key " + alias + " to the key store", e);
    }
    try {
      save();
    } catch (CryptoException e) {
      // Not on disk → must not be used. Roll back so in-memory state matches the file.
      try {
        keyStore.deleteEntry(alias);
      } catch (KeyStoreException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    cache.put(id, kek);
    current.put(id.orgId(), id);
    return id;
  }

  private boolean contains(KeyId id) {
    try {
      return keyStore.containsAlias(id.toString());
    } catch (KeyStoreException e) {
      throw new CryptoException("cannot query organisation key store " + file, e);
    }
  }

  /**
   * The KEK with this id, if the store has it.
   *
   * @return the AES-256 key, or empty if there is no such entry (e.g. unknown org, never-created
   *     version, or a version an operator deliberately removed)
   * @throws CryptoException if the entry exists but can't be recovered or isn't an AES-256 key
   */
  public Optional<SecretKey> key(KeyId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    SecretKey cached = cache.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    synchronized (lock) {
      ensureOpen();
      cached = cache.get(id);
      if (cached != null) {
        return Optional.of(cached);
      }
      String alias = id.toString();
      if (!contains(id)) {
        return Optional.empty();
      }
      SecretKey kek = recover(keyStore, alias, passphrase);
      cache.put(id, kek);
      return Optional.of(kek);
    }
  }

  /**
   * Writes the store atomically: serialise → temp file in the same directory (owner-only
   * permissions) → fsync → atomic rename over {@link #file()} → fsync directory.
   *
   * @throws CryptoException if the store can't be serialised or written; the previous file is then
   *     intact
   */
  public void save() {
    synchronized (lock) {
      ensureOpen();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try {
        keyStore.store(
            new BCFKSLoadStoreParameter.Builder(buffer, passphrase)
                .withStorePBKDFConfig(storeKdf)
                .build());
      } catch (IOException | GeneralSecurityException e) {
        throw new CryptoException("cannot serialise organisation key store " + file, e);
      }
      writeAtomically(file, buffer.toByteArray());
      fileStamp = stamp(file);
    }
  }

  private static void writeAtomically(Path target, byte[] content) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // createTempFile uses owner-only (0600) permissions on POSIX file systems.
      tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new CryptoException(
          "cannot write "
              + target
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); the previous version, if any, is unchanged",
          e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort cleanup of a temp file that holds only the encrypted store
        }
      }
    }
  }

  /** Makes the rename itself durable; not supported on every platform, hence best effort. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // e.g. Windows can't open directories; the rename is still atomic, just maybe not yet durable
    }
  }

  /**
   * Zeroes the in-memory passphrase and drops cached KEKs; the store is unusable afterwards.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      Arrays.fill(passphrase, '\0');
      cache.clear();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("organisation key store " + file + " is closed");
    }
  }

  @Override
  public String toString() {
    return "OrganisationKeyStore["
        + file
        + ", organisations="
        + current.size()
        + (closed ? ", closed" : "")
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Passphrase policy
  // ---------------------------------------------------------------------------------------------

  /**
   * Decides where the key store passphrase comes from, in this order:
   *
   * <ol>
   *   <li>{@value #ENV_PASSPHRASE} – the passphrase itself;
   *   <li>{@value #ENV_PASSPHRASE_FILE} – path of a file holding it (UTF-8; one trailing newline is
   *       ignored), e.g. a Kubernetes/Docker secret mount;
   *   <li>only if {@value #ENV_DEV_MODE} is {@code true}/{@code 1}/{@code yes}: the file {@value
   *       #DEV_PASSPHRASE_FILE_NAME} in {@code dataDir}, generated with 256 random bits on first
   *       use and re-read afterwards (re-generating would lock the developer out of their own key
   *       store). The result is flagged {@code generatedForDev} so the caller logs a WARNING.
   * </ol>
   *
   * A variable that is set but empty is an error rather than "not set": a half-configured secret
   * should fail loudly, not silently drop to the next source.
   *
   * @param env environment (normally {@link System#getenv()})
   * @param dataDir data directory for the dev-mode passphrase file (may be null outside dev mode)
   * @throws CryptoException if nothing usable is configured or the configured file can't be read
   */
  public static PassphraseSource passphraseFrom(Map<String, String> env, Path dataDir) {
    Objects.requireNonNull(env, "env");
    String direct = env.get(ENV_PASSPHRASE);
    if (direct != null) {
      if (direct.isEmpty()) {
        throw new CryptoException(ENV_PASSPHRASE + " is set but empty");
      }
      return new PassphraseSource(
          direct.toCharArray(), false, "environment variable " + ENV_PASSPHRASE);
    }
    String fileName = env.get(ENV_PASSPHRASE_FILE);
    if (fileName != null) {
      if (fileName.isBlank()) {
        throw new CryptoException(ENV_PASSPHRASE_FILE + " is set but empty");
      }
      Path path = Path.of(fileName);
      return new PassphraseSource(
          readPassphraseFile(path, ENV_PASSPHRASE_FILE),
          false,
          "file " + path + " (from " + ENV_PASSPHRASE_FILE + ")");
    }
    if (isDevMode(env.get(ENV_DEV_MODE))) {
      Objects.requireNonNull(dataDir, "dataDir is required in dev mode");
      Path path = dataDir.resolve(DEV_PASSPHRASE_FILE_NAME);
      boolean created = createDevPassphraseFileIfAbsent(path);
      return new PassphraseSource(
          readPassphraseFile(path, "dev mode"),
          true,
          (created ? "newly generated" : "previously generated")
              + " dev-mode passphrase file "
              + path
              + " – it sits next to the data, so this is NOT safe for production; set "
              + ENV_PASSPHRASE
              + " or "
              + ENV_PASSPHRASE_FILE);
    }
    throw new CryptoException(
        "no key store passphrase configured: set "
            + ENV_PASSPHRASE
            + " or "
            + ENV_PASSPHRASE_FILE
            + " (or "
            + ENV_DEV_MODE
            + "=true to generate a development passphrase)");
  }

  private static boolean isDevMode(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("1") || v.equals("yes");
  }

  /** Reads a UTF-8 passphrase without going through an (un-wipeable) String. */
  private static char[] readPassphraseFile(Path path, String origin) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new CryptoException(
          "cannot read key store passphrase file "
              + path
              + " ("
              + origin
              + "): "
              + e.getClass().getSimpleName(),
          e);
    }
    try {
      int end = bytes.length;
      // Tolerate the trailing newline editors and `echo` add; nothing else is trimmed.
      if (end > 0 && bytes[end - 1] == '\n') {
        end--;
        if (end > 0 && bytes[end - 1] == '\r') {
          end--;
        }
      }
      if (end == 0) {
        throw new CryptoException(
            "key store passphrase file " + path + " (" + origin + ") is empty");
      }
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new CryptoException(
          "key store passphrase file " + path + " (" + origin + ") is not valid UTF-8", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * @return true if this call created the file
   */
  private static boolean createDevPassphraseFileIfAbsent(Path path) {
    if (Files.exists(path)) {
      return false;
    }
    byte[] random = CryptoSupport.randomBytes(32);
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(random);
    Arrays.fill(random, (byte) 0);
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      FileAttribute<?>[] attrs =
          path.getFileSystem().supportedFileAttributeViews().contains("posix")
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
              }
              : new FileAttribute<?>[0];
      Files.createFile(path, attrs); // fails if another process won the race → we then read theirs
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(encoded);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new CryptoException("cannot create dev-mode passphrase file " + path, e);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }
}
