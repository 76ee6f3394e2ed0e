package nl.veiligpraten.conversation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The last few committed messages of recently active conversations, in this process only (never in
 * a cluster map or on disk). A socket that is told "conversation X has seq N" first looks here and
 * reads PostgreSQL only when this cache does not hold every message it is missing, so the common
 * case (sender and receiver on one node) costs no read query and no decryption. Messages enter only
 * after their transaction committed, so nothing here is unacknowledged; bounded per conversation
 * and in total, and forgotten when a conversation is shredded or deleted.
 */
final class RecentMessages {

  private final int perConversation;
  private final Map<UUID, ArrayDeque<PlainMessage>> byConversation;

  RecentMessages(int perConversation, int conversations) {
    this.perConversation = perConversation;
    this.byConversation =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, ArrayDeque<PlainMessage>> eldest) {
            return size() > conversations;
          }
        };
  }

  /** Adds committed messages of one conversation (any order; kept sorted, without repeats). */
  synchronized void add(UUID id, List<PlainMessage> messages) {
    ArrayDeque<PlainMessage> recent = byConversation.computeIfAbsent(id, k -> new ArrayDeque<>());
    for (PlainMessage m : messages) {
      if (recent.isEmpty() || recent.peekLast().seq() < m.seq()) {
        recent.addLast(m);
      } else if (!contains(recent, m.seq())) {
        // A batch from another writer committed a lower seq later: rebuild in order (rare).
        List<PlainMessage> sorted = new ArrayList<>(recent);
        sorted.add(m);
        sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        recent.clear();
        recent.addAll(sorted);
      }
      while (recent.size() > perConversation) {
        recent.pollFirst();
      }
    }
  }

  /**
   * Every message after {@code afterSeq}, if this cache holds all of (afterSeq, upTo] without a
   * gap; otherwise null (the caller reads PostgreSQL). The answer may go beyond {@code upTo} as far
   * as the cache holds a gap-free run.
   */
  synchronized List<PlainMessage> after(UUID id, long afterSeq, long upTo, int limit) {
    if (upTo <= afterSeq) {
      return null;
    }
    ArrayDeque<PlainMessage> recent = byConversation.get(id);
    if (recent == null || recent.isEmpty() || recent.peekFirst().seq() > afterSeq + 1) {
      return null;
    }
    // Walk back from the newest message: a reader is usually only a message or two behind.
    List<PlainMessage> newer = new ArrayList<>();
    for (Iterator<PlainMessage> it = recent.descendingIterator(); it.hasNext(); ) {
      PlainMessage m = it.next();
      if (m.seq() <= afterSeq) {
        break;
      }
      newer.add(m);
    }
    Collections.reverse(newer);
    List<PlainMessage> out = new ArrayList<>(Math.min(limit, newer.size()));
    long expected = afterSeq + 1;
    for (PlainMessage m : newer) {
      if (out.size() == limit || m.seq() != expected) {
        break;
      }
      out.add(m);
      expected++;
    }
    return expected - 1 >= upTo || out.size() == limit ? out : null;
  }

  synchronized void forget(UUID id) {
    byConversation.remove(id);
  }

  synchronized void forgetAll() {
    byConversation.clear();
  }

  private static boolean contains(ArrayDeque<PlainMessage> recent, long seq) {
    for (PlainMessage m : recent) {
      if (m.seq() == seq) {
        return true;
      }
    }
    return false;
  }
}
