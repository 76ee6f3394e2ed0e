package nl.veiligpraten.infra.crypto;

/**
 * Signals that a cryptographic operation on transcript data or on the organisation key store
 * failed.
 *
 * <p>Unchecked on purpose: callers (Vert.x handlers, repositories) can't meaningfully recover from
 * a failed decryption or an unreadable key store other than by failing the request, and a checked
 * exception would tempt people into {@code catch (...) { return plaintextFallback; }}. There is
 * never a fallback: every failure in this package surfaces as this exception.
 *
 * <p>Messages are written for operators and never contain key material, passphrases or plaintext.
 */
public class CryptoException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message operator-facing description; must not contain secrets or plaintext
   */
  public CryptoException(String message) {
    super(message);
  }

  /**
   * @param message operator-facing description; must not contain secrets or plaintext
   * @param cause the underlying library failure (kept for diagnostics; BC/JCE messages carry no
   *     secrets)
   */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
