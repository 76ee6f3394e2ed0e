package nl.veiligpraten.infra.crypto;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one version of an organisation's key-encryption key (KEK), rendered as {@code
 * orgId#vN}, e.g. {@code csg#v1}, {@code csg#v2}.
 *
 * <p>The string form is stored next to every wrapped data key so that unwrapping can pick the right
 * KEK version after rotations, and it is bound into the wrap's associated data. Because of that the
 * string form must be canonical: {@link #parse(String)} accepts exactly what {@link #toString()}
 * produces (no leading zeros, no whitespace, no case folding), so one key id has exactly one
 * spelling.
 *
 * @param orgId organisation id: 1–64 chars of {@code [A-Za-z0-9._-]}, starting with a letter or
 *     digit (no {@code #}, so the rendered form is unambiguous)
 * @param version KEK version, starting at 1
 */
public record KeyId(String orgId, int version) {

  private static final String ORG_ID_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  private static final Pattern ORG_ID = Pattern.compile(ORG_ID_REGEX);
  // Versions are at most 9 digits so they always fit in an int; no leading zeros (canonical form).
  private static final Pattern KEY_ID =
      Pattern.compile("(" + ORG_ID_REGEX + ")#v([1-9][0-9]{0,8})");

  /** Validates the components. */
  public KeyId {
    requireValidOrgId(orgId);
    if (version < 1) {
      throw new IllegalArgumentException("key version must be >= 1, was " + version);
    }
  }

  /** The first KEK version for an organisation. */
  public static KeyId first(String orgId) {
    return new KeyId(orgId, 1);
  }

  /**
   * Parses the canonical {@code orgId#vN} form.
   *
   * @throws IllegalArgumentException if {@code text} is not exactly a canonical key id
   */
  public static KeyId parse(String text) {
    Objects.requireNonNull(text, "key id");
    Matcher m = KEY_ID.matcher(text);
    if (!m.matches()) {
      // Don't echo arbitrary input back verbatim at length; key ids are short and not secret.
      throw new IllegalArgumentException(
          "not a key id of the form orgId#vN: '"
              + (text.length() > 80 ? text.substring(0, 80) + "…" : text)
              + "'");
    }
    return new KeyId(m.group(1), Integer.parseInt(m.group(2)));
  }

  /** The next version of this organisation's KEK (used by rotation). */
  public KeyId next() {
    if (version == 999_999_999) {
      throw new IllegalStateException("key version space exhausted for " + orgId);
    }
    return new KeyId(orgId, version + 1);
  }

  /**
   * Checks an organisation id against the allowed alphabet.
   *
   * @return the same id, for fluent use
   * @throws IllegalArgumentException if it is null-free but malformed
   * @throws NullPointerException if it is null
   */
  public static String requireValidOrgId(String orgId) {
    Objects.requireNonNull(orgId, "orgId");
    if (!ORG_ID.matcher(orgId).matches()) {
      throw new IllegalArgumentException(
          "organisation id must match " + ORG_ID_REGEX + ": '" + orgId + "'");
    }
    return orgId;
  }

  /** The canonical {@code orgId#vN} form; this is also the key store alias. */
  @Override
  public String toString() {
    return orgId + "#v" + version;
  }
}
