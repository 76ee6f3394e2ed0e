package nl.veiligpraten.infra.metrics;

/**
 * Observes message appends (metrics and graceful shutdown): called when an append starts and when
 * its transaction has committed or failed. Receives only structured codes and timings, never
 * message content.
 */
public interface AppendListener {

  AppendListener NONE =
      new AppendListener() {
        @Override
        public void started() {}

        @Override
        public void finished(String sender, long nanos, boolean committed) {}
      };

  void started();

  void finished(String sender, long nanos, boolean committed);
}
