package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Result of the key store passphrase policy ({@link OrganisationKeyStore#passphraseFrom}).
 *
 * <p>{@code generatedForDev == true} means no passphrase was configured and a random one was
 * generated (or re-read) from a file in the data directory because dev mode is on. The caller must
 * log a WARNING with {@link #description()} in that case: the passphrase then sits next to the key
 * store, so stealing the data directory steals the keys.
 *
 * @param value the passphrase; the caller should {@link #wipe()} it once the key store is open
 * @param generatedForDev whether this is a dev-mode generated passphrase (log a warning!)
 * @param description where it came from, for logs; never contains the passphrase itself
 */
public record PassphraseSource(char[] value, boolean generatedForDev, String description) {

  /** Validates the components. */
  public PassphraseSource {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(description, "description");
  }

  /** Zeroes the passphrase characters. */
  public void wipe() {
    Arrays.fill(value, '\0');
  }

  /** Never contains the passphrase. */
  @Override
  public String toString() {
    return "PassphraseSource[" + description + (generatedForDev ? ", generated for dev" : "") + "]";
  }
}
