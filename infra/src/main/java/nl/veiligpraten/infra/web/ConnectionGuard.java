package nl.veiligpraten.infra.web;

import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link ListenerLimits} on one HTTP server instance: a deadline for the request head
 * (slowloris), one for the body (slow POSTs), an idle limit between kept-alive requests, and a cap
 * on open connections shared by every instance of the listener. Netty's idle handler cannot do the
 * first two (a client that trickles one byte every few seconds is never idle), so each connection
 * carries one timer that is re-armed at every phase.
 *
 * <p>One instance per verticle: every method runs on that verticle's event loop, so the map needs
 * no locking. The connection counter is shared by the listener's instances. Nothing about the peer
 * is recorded.
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final ListenerLimits limits;
  private final AtomicInteger open;
  private final String listener;
  private final Map<HttpConnection, State> states = new IdentityHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private long lastRefusalLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(60);

  /** Name Vert.x gives Netty's IdleStateHandler in an HTTP server pipeline. */
  private static final String NETTY_IDLE_HANDLER = "idle";

  private static final class State {
    long timer = -1;
    boolean upgraded;

    /** The connection's latest request (HTTP/1.1 handles one at a time). */
    HttpServerRequest current;
  }

  /**
   * @param open open connections of the whole listener (shared by its instances)
   * @param listener name for the log lines ("visitor", "console")
   */
  public ConnectionGuard(Vertx vertx, ListenerLimits limits, AtomicInteger open, String listener) {
    this.vertx = vertx;
    this.limits = limits;
    this.open = open;
    this.listener = listener;
  }

  /**
   * Options every guarded listener needs. Cleartext HTTP/2 is off (issue 20, finding 10): neither
   * listener serves HTTP/2 and the h2c upgrade path delays the connection handler until the first
   * full request. Netty's idle handler closes a connection that sends nothing at all within the
   * header timeout; Vert.x only reports a connection once its first bytes arrive, and from then on
   * this guard's own timers apply (the idle handler is removed, since it would also close a quiet
   * WebSocket).
   */
  public HttpServerOptions configure(HttpServerOptions options) {
    if (limits.tls()) {
      // TLS from PEM files (issue 20, finding 10); HTTP/1.1 only, like the cleartext listener (no
      // ALPN for h2).
      options
          .setSsl(true)
          .setUseAlpn(false)
          .setKeyCertOptions(
              new io.vertx.core.net.PemKeyCertOptions()
                  .setCertPath(limits.tlsCertFile())
                  .setKeyPath(limits.tlsKeyFile()));
    }
    return options
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) limits.headerTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * Installs the guard on a server (whose options went through {@link #configure}): {@code
   * requests} (usually the router) sees only requests of connections within the limits.
   */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    return server
        .connectionHandler(this::onConnection)
        .requestHandler(
            request -> {
              onRequest(request);
              if (limits.tls()) {
                // Served over TLS by this listener: browsers must not come back over plain HTTP.
                request.response().putHeader("Strict-Transport-Security", "max-age=31536000");
              }
              requests.handle(request);
            });
  }

  private void onConnection(HttpConnection connection) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      hardClose(connection);
      long refusedNow = refused.incrementAndGet();
      long now = System.nanoTime();
      // One line per ten seconds at most: a flood must not turn into a flood of log lines.
      if (now - lastRefusalLog > TimeUnit.SECONDS.toNanos(10)) {
        lastRefusalLog = now;
        LOG.warn(
            "{} listener: connections refused at the cap of {} (refused since start: {})",
            listener,
            limits.maxConnections(),
            refusedNow);
      }
      return;
    }
    State state = new State();
    states.put(connection, state);
    if (channel(connection).pipeline().get(NETTY_IDLE_HANDLER) != null) {
      channel(connection).pipeline().remove(NETTY_IDLE_HANDLER);
    }
    // The channel's own close future: Vert.x's connection close handler does not fire any more once
    // the connection
    // has been upgraded to a WebSocket, so counting with it would leak a slot per WebSocket.
    Context context = vertx.getOrCreateContext();
    channel(connection)
        .closeFuture()
        .addListener(
            f ->
                context.runOnContext(
                    v -> {
                      open.decrementAndGet();
                      State s = states.remove(connection);
                      if (s != null) {
                        cancel(s);
                      }
                    }));
    state.timer =
        vertx.setTimer(
            limits.headerTimeout().toMillis(),
            id -> {
              state.timer = -1;
              if (state.current == null && states.get(connection) == state) {
                LOG.debug(
                    "{} listener: no request head within {} ms, connection closed",
                    listener,
                    limits.headerTimeout().toMillis());
                hardClose(connection);
              }
            });
  }

  /**
   * The head of a request has arrived: the body (if any) now has its own deadline, then the idle
   * limit runs.
   */
  private void onRequest(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    State state = states.get(connection);
    if (state == null) {
      return;
    }
    cancel(state);
    state.current = request;
    if (request.isEnded()) {
      armIdle(connection, state);
      return;
    }
    state.timer =
        vertx.setTimer(
            limits.bodyTimeout().toMillis(),
            id -> {
              state.timer = -1;
              if (states.get(connection) != state || state.upgraded) {
                return;
              }
              if (state.current == request && !request.isEnded()) {
                LOG.info(
                    "{} listener: request body not complete within {} ms, connection closed",
                    listener,
                    limits.bodyTimeout().toMillis());
                if (!request.response().headWritten()) {
                  request
                      .response()
                      .setStatusCode(408)
                      .putHeader("Connection", "close")
                      .end()
                      .onComplete(ar -> hardClose(connection));
                } else {
                  hardClose(connection);
                }
              } else {
                armIdle(connection, state);
              }
            });
  }

  /**
   * Closes a kept-alive connection that starts no new request; a response still being produced
   * keeps it open.
   */
  private void armIdle(HttpConnection connection, State state) {
    state.timer =
        vertx.setTimer(
            limits.idleTimeout().toMillis(),
            id -> {
              state.timer = -1;
              if (states.get(connection) != state || state.upgraded) {
                return;
              }
              HttpServerRequest current = state.current;
              if (current != null && !current.response().ended() && !current.response().closed()) {
                armIdle(connection, state);
                return;
              }
              hardClose(connection);
            });
  }

  /** The connection became a WebSocket: its own protocol decides about idleness from now on. */
  public void upgraded(HttpConnection connection) {
    State state = states.get(connection);
    if (state != null) {
      state.upgraded = true;
      cancel(state);
    }
  }

  /**
   * Closes the TCP connection now. {@link HttpConnection#close()} is a graceful shutdown that waits
   * for the request in progress, and a trickled request head never completes, so it would never
   * close a slowloris connection.
   */
  private static void hardClose(HttpConnection connection) {
    channel(connection).close();
  }

  /** The Netty channel behind a Vert.x connection (internal API, as in {@link FlushCoalescing}). */
  private static Channel channel(HttpConnection connection) {
    return ((ConnectionBase) connection).channel();
  }

  private void cancel(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
