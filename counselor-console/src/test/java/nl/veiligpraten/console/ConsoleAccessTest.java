package nl.veiligpraten.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import nl.veiligpraten.console.ConsoleAccess.View;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Console access: who may act on which chat frame")
class ConsoleAccessTest {

  static final long ME = 11;

  static StaffSession session(String role, String org) {
    return new StaffSession(
        "k", new byte[32], new StaffUser(ME, org, "u", "U", role, "h", null, 0, 3), "c");
  }

  /** Every role, with its organisation as the console sees it (platform roles have none). */
  static final List<StaffSession> SESSIONS =
      List.of(
          session("counselor", "csg"),
          session("supervisor", "csg"),
          session("org_admin", "csg"),
          session("stats_viewer", "csg"),
          session("platform_admin", null),
          session("chain_viewer", null));

  static final Set<String> SUPERVISING = Set.of("supervisor", "org_admin");

  @Test
  @DisplayName(
      "the full table: writing to the visitor and moving a chat need the chat held here; notes and routing "
          + "marks need it held or watched; leave needs it watched; supervisor controls need the role, takeover a "
          + "supervisor who chats; the rest is decided by the database or the socket's own offers")
  void table() {
    BiPredicate<StaffSession, View> held = (s, v) -> v == View.HOLDER;
    BiPredicate<StaffSession, View> shown = (s, v) -> v != View.NONE;
    BiPredicate<StaffSession, View> supervising = (s, v) -> SUPERVISING.contains(s.role());
    BiPredicate<StaffSession, View> always = (s, v) -> true;
    Map<String, BiPredicate<StaffSession, View>> expected =
        Map.ofEntries(
            Map.entry("message", held),
            Map.entry("typing", held),
            Map.entry("transfer", held),
            Map.entry("refer", held),
            Map.entry("whisper", shown),
            Map.entry("suicide-risk", shown),
            Map.entry("override", shown),
            Map.entry("leave", (s, v) -> v == View.OBSERVER),
            Map.entry("join", supervising),
            Map.entry("reassign", supervising),
            Map.entry("close-abuse", supervising),
            Map.entry("confirm-p0", supervising),
            Map.entry("takeover", (s, v) -> "supervisor".equals(s.role())),
            Map.entry("take", always),
            Map.entry("close", always),
            Map.entry("ping", always),
            Map.entry("status", always),
            Map.entry("transfer-answer", always),
            Map.entry("transfer-cancel", always));
    assertEquals(
        Set.copyOf(ConsoleConnection.FRAME_TYPES),
        expected.keySet(),
        "a rule for every frame type");
    int cells = 0;
    for (ConsoleFrame.Type type : ConsoleFrame.Type.values()) {
      for (StaffSession s : SESSIONS) {
        for (View v : View.values()) {
          assertEquals(
              expected.get(type.wire()).test(s, v),
              ConsoleAccess.allows(type, s, v),
              type.wire() + " by " + s.role() + " on a chat " + v);
          cells++;
        }
      }
    }
    assertEquals(19 * 6 * 3, cells);
  }

  @Test
  @DisplayName("a supervisor's role check does not hold without an organisation")
  void supervisorWithoutOrganisation() {
    assertFalse(
        ConsoleAccess.allows(ConsoleFrame.Type.JOIN, session("supervisor", null), View.NONE));
    assertFalse(
        ConsoleAccess.allows(ConsoleFrame.Type.TAKEOVER, session("supervisor", null), View.NONE));
  }

  @Test
  @DisplayName(
      "a chat is shown as held only when it is open, of the own organisation and assigned to this "
          + "counselor; watched only by a supervisor of that organisation")
  void mayShow() {
    StaffSession counselor = session("counselor", "csg");
    StaffSession supervisor = session("supervisor", "csg");
    assertTrue(ConsoleAccess.mayShow(counselor, "csg", ConversationStatus.ASSIGNED, ME, false));
    assertFalse(
        ConsoleAccess.mayShow(counselor, "csg", ConversationStatus.ASSIGNED, ME + 1, false),
        "a colleague's chat");
    assertFalse(
        ConsoleAccess.mayShow(counselor, "csg", ConversationStatus.ASSIGNED, null, false),
        "nobody's chat");
    assertFalse(
        ConsoleAccess.mayShow(counselor, "mores", ConversationStatus.ASSIGNED, ME, false),
        "another organisation");
    assertFalse(ConsoleAccess.mayShow(counselor, null, ConversationStatus.ASSIGNED, ME, false));
    for (ConversationStatus status :
        List.of(
            ConversationStatus.QUEUED,
            ConversationStatus.CLOSED,
            ConversationStatus.INTAKE,
            ConversationStatus.INBOX)) {
      assertFalse(ConsoleAccess.mayShow(counselor, "csg", status, ME, false), status.code());
      assertFalse(ConsoleAccess.mayShow(supervisor, "csg", status, ME + 1, true), status.code());
    }
    assertTrue(
        ConsoleAccess.mayShow(supervisor, "csg", ConversationStatus.ASSIGNED, ME + 1, true),
        "watch a colleague's chat");
    assertFalse(
        ConsoleAccess.mayShow(supervisor, "mores", ConversationStatus.ASSIGNED, ME + 1, true),
        "another organisation");
    assertFalse(
        ConsoleAccess.mayShow(counselor, "csg", ConversationStatus.ASSIGNED, ME + 1, true),
        "a counselor does not watch");
    assertFalse(
        ConsoleAccess.mayShow(
            session("platform_admin", null), null, ConversationStatus.ASSIGNED, ME, false));
  }

  @Test
  @DisplayName(
      "a warm transfer offer is shown only for an open chat of the own organisation still held by the "
          + "colleague who offers it")
  void mayBeOffered() {
    StaffSession receiver = session("counselor", "csg");
    long from = 20;
    assertTrue(
        ConsoleAccess.mayBeOffered(receiver, "csg", ConversationStatus.ASSIGNED, from, from));
    assertFalse(
        ConsoleAccess.mayBeOffered(receiver, "csg", ConversationStatus.ASSIGNED, 21L, from),
        "moved on since the offer");
    assertFalse(
        ConsoleAccess.mayBeOffered(receiver, "csg", ConversationStatus.QUEUED, null, from),
        "back in the queue");
    assertFalse(
        ConsoleAccess.mayBeOffered(receiver, "csg", ConversationStatus.CLOSED, from, from),
        "closed");
    assertFalse(
        ConsoleAccess.mayBeOffered(receiver, "mores", ConversationStatus.ASSIGNED, from, from),
        "another organisation");
    assertFalse(
        ConsoleAccess.mayBeOffered(receiver, "csg", ConversationStatus.ASSIGNED, ME, ME),
        "an offer to oneself");
  }
}
