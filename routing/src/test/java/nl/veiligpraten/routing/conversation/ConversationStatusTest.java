package nl.veiligpraten.routing.conversation;

import static nl.veiligpraten.routing.conversation.ConversationStatus.ASSIGNED;
import static nl.veiligpraten.routing.conversation.ConversationStatus.CLOSED;
import static nl.veiligpraten.routing.conversation.ConversationStatus.INBOX;
import static nl.veiligpraten.routing.conversation.ConversationStatus.INTAKE;
import static nl.veiligpraten.routing.conversation.ConversationStatus.QUEUED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A conversation status has one database code and only the moves the service makes")
class ConversationStatusTest {

  @Test
  @DisplayName("the codes are the ones the database and the wire have always used")
  void codes() {
    assertEquals(
        List.of("intake", "queued", "assigned", "inbox", "closed"),
        Arrays.stream(ConversationStatus.values()).map(ConversationStatus::code).toList());
  }

  @ParameterizedTest
  @EnumSource(ConversationStatus.class)
  @DisplayName("every status reads back from its own code")
  void roundTrip(ConversationStatus s) {
    assertEquals(s, ConversationStatus.fromCode(s.code()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "QUEUED", "Queued", " queued", "open", "waiting", "deleted"})
  @DisplayName("an unknown code is refused with a message naming it and the known codes")
  void unknownRefused(String code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConversationStatus.fromCode(code));
    assertTrue(e.getMessage().contains("'" + code + "'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("queued") && e.getMessage().contains("inbox"), e.getMessage());
  }

  @Test
  @DisplayName("a missing code is refused too")
  void nullRefused() {
    assertThrows(IllegalArgumentException.class, () -> ConversationStatus.fromCode(null));
  }

  @Test
  @DisplayName("intake goes to a queue, to the inbox or ends, and never straight to a counselor")
  void fromIntake() {
    assertEquals(EnumSet.of(QUEUED, INBOX, CLOSED), INTAKE.allowedNext());
    assertFalse(INTAKE.canMoveTo(ASSIGNED));
    assertFalse(INTAKE.canMoveTo(INTAKE));
  }

  @Test
  @DisplayName(
      "a queued chat is taken, moved to another queue or ends, and never goes to the inbox")
  void fromQueued() {
    assertEquals(EnumSet.of(QUEUED, ASSIGNED, CLOSED), QUEUED.allowedNext());
    assertFalse(QUEUED.canMoveTo(INBOX));
    assertFalse(QUEUED.canMoveTo(INTAKE));
  }

  @Test
  @DisplayName("an assigned chat passes to a colleague, goes back to the queue or ends")
  void fromAssigned() {
    assertEquals(EnumSet.of(ASSIGNED, QUEUED, CLOSED), ASSIGNED.allowedNext());
    assertFalse(ASSIGNED.canMoveTo(INBOX));
    assertFalse(ASSIGNED.canMoveTo(INTAKE));
  }

  @Test
  @DisplayName(
      "an inbox thread is taken live by a counselor or ends, and never joins the live queue")
  void fromInbox() {
    assertEquals(EnumSet.of(ASSIGNED, CLOSED), INBOX.allowedNext());
    assertFalse(INBOX.canMoveTo(QUEUED));
    assertFalse(INBOX.canMoveTo(INBOX));
  }

  @ParameterizedTest
  @EnumSource(ConversationStatus.class)
  @DisplayName("a closed conversation never moves again, and every other status can still end")
  void closedIsFinal(ConversationStatus s) {
    assertFalse(CLOSED.canMoveTo(s));
    assertEquals(s == CLOSED, s.isFinal());
    assertEquals(s != CLOSED, s.canMoveTo(CLOSED));
  }

  @Test
  @DisplayName("nothing ever moves back to intake, and every status but intake can be reached")
  void reachability() {
    Set<ConversationStatus> reached = EnumSet.noneOf(ConversationStatus.class);
    for (ConversationStatus s : ConversationStatus.values()) {
      reached.addAll(s.allowedNext());
    }
    assertEquals(EnumSet.complementOf(EnumSet.of(INTAKE)), reached);
  }

  @Test
  @DisplayName("the allowed moves cannot be changed by a caller")
  void unmodifiable() {
    assertThrows(UnsupportedOperationException.class, () -> QUEUED.allowedNext().add(INBOX));
  }

  @Test
  @DisplayName("only a queued or assigned chat is a live chat")
  void liveChat() {
    assertEquals(
        EnumSet.of(QUEUED, ASSIGNED),
        EnumSet.copyOf(
            Arrays.stream(ConversationStatus.values())
                .filter(ConversationStatus::isLiveChat)
                .toList()));
  }
}
