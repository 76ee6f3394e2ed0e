package nl.veiligpraten.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recent committed messages in memory")
class RecentMessagesTest {

  private static final UUID CHAT = UUID.randomUUID();

  private static PlainMessage m(long seq) {
    return new PlainMessage(seq, "visitor", null, "c" + seq, "body " + seq, OffsetDateTime.now());
  }

  private static List<Long> seqs(List<PlainMessage> messages) {
    return messages.stream().map(PlainMessage::seq).toList();
  }

  @Test
  @DisplayName("answers only when it holds every announced message after the cursor, without a gap")
  void onlyGapFreeAnswers() {
    RecentMessages recent = new RecentMessages(32, 100);
    recent.add(CHAT, List.of(m(1), m(2), m(4)));
    assertEquals(List.of(1L, 2L), seqs(recent.after(CHAT, 0, 2, 200)));
    assertNull(
        recent.after(CHAT, 0, 4, 200), "3 is missing (written on another node): read the database");
    assertEquals(List.of(4L), seqs(recent.after(CHAT, 3, 4, 200)));
    assertNull(
        recent.after(CHAT, 4, 4, 200),
        "nothing announced beyond the cursor: the caller reads the database");
    assertNull(recent.after(UUID.randomUUID(), 0, 1, 200));
    recent.add(CHAT, List.of(m(3)));
    assertEquals(
        List.of(1L, 2L, 3L, 4L),
        seqs(recent.after(CHAT, 0, 4, 200)),
        "a late lower seq is slotted in");
    assertEquals(
        List.of(2L, 3L), seqs(recent.after(CHAT, 1, 4, 2)), "a full page is an answer too");
  }

  @Test
  @DisplayName(
      "keeps a bounded tail per conversation and a bounded number of conversations, and forgets on request")
  void bounded() {
    RecentMessages recent = new RecentMessages(3, 2);
    recent.add(CHAT, List.of(m(1), m(2), m(3), m(4), m(5)));
    assertNull(recent.after(CHAT, 0, 5, 200), "1 and 2 fell out");
    assertEquals(List.of(3L, 4L, 5L), seqs(recent.after(CHAT, 2, 5, 200)));
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    recent.add(b, List.of(m(1)));
    recent.add(c, List.of(m(1)));
    assertNull(recent.after(CHAT, 2, 5, 200), "least recently used conversation dropped");
    recent.forget(c);
    assertNull(recent.after(c, 0, 1, 200));
    assertEquals(List.of(1L), seqs(recent.after(b, 0, 1, 200)));
  }
}
