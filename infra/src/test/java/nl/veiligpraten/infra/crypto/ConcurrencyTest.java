package nl.veiligpraten.infra.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TranscriptCipher under concurrency")
class ConcurrencyTest {

  private static final int THREADS = 4;
  private static final int MESSAGES_PER_THREAD = 1000;

  @Test
  @DisplayName(
      "4 threads × 1000 seal/open round trips succeed concurrently, each thread reusing one cipher instance")
  void concurrentSealOpen() throws Exception {
    TranscriptCipher cipher = new TranscriptCipher();
    UUID sharedConversation = UUID.randomUUID();
    DataKey sharedKey =
        DataKey.generate(sharedConversation); // one key used from all threads at once
    CountDownLatch start = new CountDownLatch(1);
    Set<Cipher> cipherInstances =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int threadNo = t;
        Callable<Integer> task =
            () -> {
              SplittableRandom random = new SplittableRandom(threadNo);
              UUID ownConversation = UUID.randomUUID();
              DataKey ownKey = DataKey.generate(ownConversation);
              start.await();
              Cipher mine = TranscriptCipher.threadCipher();
              cipherInstances.add(mine);
              int ok = 0;
              for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
                boolean shared = (i & 1) == 0;
                DataKey key = shared ? sharedKey : ownKey;
                UUID conversation = shared ? sharedConversation : ownConversation;
                byte[] plaintext = new byte[random.nextInt(0, 400)];
                random.nextBytes(plaintext);
                // Tag each payload with thread and index so cross-thread mix-ups would be visible.
                if (plaintext.length >= 8) {
                  ByteBuffer.wrap(plaintext).putInt(threadNo).putInt(i);
                }
                MessageAad aad =
                    new MessageAad(
                        conversation, (long) threadNo * MESSAGES_PER_THREAD + i, "t" + threadNo);
                byte[] sealed = cipher.seal(key, aad, plaintext);
                assertArrayEquals(plaintext, cipher.open(key, aad, sealed));
                if (i % 100 == 0) {
                  // failures must not poison this thread's cipher for later messages
                  assertThrows(
                      CryptoException.class,
                      () ->
                          cipher.open(
                              key,
                              new MessageAad(aad.conversationId(), aad.seq() + 1, aad.sender()),
                              sealed));
                }
                ok++;
              }
              assertSame(
                  mine, TranscriptCipher.threadCipher(), "one cipher per thread, not per message");
              return ok;
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(2, TimeUnit.MINUTES);
      }
      assertEquals(THREADS * MESSAGES_PER_THREAD, total);
      assertEquals(THREADS, cipherInstances.size(), "each thread has its own cipher instance");
    } finally {
      pool.shutdownNow();
    }
  }
}
