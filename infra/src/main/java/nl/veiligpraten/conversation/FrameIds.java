package nl.veiligpraten.conversation;

import java.util.regex.Pattern;

/**
 * The one rule for short identifiers in socket frames (client message ids, which are the
 * idempotency key of a message, and codes such as help points), shared by the visitor and console
 * sockets: 1–64 characters of letters, digits and {@code _.:-}. Precompiled because it runs for
 * every message.
 */
public final class FrameIds {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private FrameIds() {}

  public static boolean valid(String clientId) {
    return clientId != null && VALID.matcher(clientId).matches();
  }
}
