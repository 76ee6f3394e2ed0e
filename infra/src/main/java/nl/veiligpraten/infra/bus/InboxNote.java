package nl.veiligpraten.infra.bus;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A note on an organisation's message-inbox address ({@link Addresses#inbox}, issue 19): the
 * consoles of the organisation re-read their inbox list over HTTP. The kind is sent on to the page
 * as the {@code inbox} frame's kind.
 */
public record InboxNote(Kind what, UUID conversationId) implements BusNote {

  public InboxNote {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(conversationId, "conversationId");
  }

  /** What happened to the thread; the lower-case name is the wire kind. */
  public enum Kind {
    /** The visitor left a message. */
    LEFT,
    /** The visitor replied in the thread. */
    REPLY,
    /** The visitor is back on the page. */
    BACK,
    /** The visitor's page went away. */
    GONE,
    /** The visitor deleted the thread. */
    DELETED,
    /** The thread expired unanswered. */
    EXPIRED,
    /** A counselor answered the thread. */
    ANSWERED,
    /** A counselor turned the thread into a live chat. */
    TAKEN;

    /** The wire kind. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public String kind() {
    return what.code();
  }
}
