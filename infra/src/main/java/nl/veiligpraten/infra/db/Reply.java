package nl.veiligpraten.infra.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The answer to one item of a shared batch. It remembers the Vert.x context of the caller that
 * asked, so the caller's callbacks run on its own event loop even when the batch that carried the
 * item ran on another one (connections keep their unsynchronised state on their own event loop).
 *
 * @param <R> result type
 */
public final class Reply<R> {

  private final Context context = Vertx.currentContext();
  private final Promise<R> promise = Promise.promise();

  public Future<R> future() {
    return promise.future();
  }

  public void succeed(R value) {
    onCallerContext(() -> promise.tryComplete(value));
  }

  public void fail(Throwable cause) {
    onCallerContext(() -> promise.tryFail(cause));
  }

  private void onCallerContext(Runnable action) {
    if (context == null || context == Vertx.currentContext()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
