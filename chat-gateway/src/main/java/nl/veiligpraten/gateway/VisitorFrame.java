package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonObject;

/** Frames a visitor's page sends, one record per {@code type}. See chat-gateway/PROTOCOL.md. */
public sealed interface VisitorFrame {

  /** Protocol version this gateway speaks. */
  int VERSION = 1;

  /**
   * Opens a new conversation, or resumes one by token (reconnect), by the short code (another
   * device) or by the single-use reload ticket (issue 19: a reload or Back in the same tab, whose
   * memory held the token).
   */
  record Hello(String resumeToken, String resumeCode, long lastSeq, String reloadTicket)
      implements VisitorFrame {}

  /**
   * Intake answers so far (codes only). With {@code after} (the question just answered or skipped)
   * the gateway answers with the next visible question, or with route suggestions when the intake
   * is complete; without it, with route suggestions at once.
   */
  record Answers(JsonObject answers, String after) implements VisitorFrame {}

  /**
   * The visitor chose a help point (from the suggestions, or talk-now to triage). {@code lang} is
   * the page's reading mode ({@code nl}, {@code nl_easy}, {@code en}; null when the page did not
   * say): kept with the intake codes so the counselor sees it and statistics count it. It is not an
   * intake answer (the visitor did not answer a question).
   */
  record Choose(String helpPoint, JsonObject answers, nl.veiligpraten.routing.config.Lang lang)
      implements VisitorFrame {}

  /**
   * Issue 19: instead of queueing, the visitor leaves a message for the chosen help point's
   * organisation (its queue is closed, unstaffed or full, or the visitor prefers it). Answered with
   * {@code ack} and {@code message-left} carrying the code to come back with. {@code message} is
   * checked exactly as a chat message.
   */
  record LeaveMessage(
      String helpPoint,
      JsonObject answers,
      nl.veiligpraten.routing.config.Lang lang,
      Message message)
      implements VisitorFrame {}

  /** A chat message; {@code clientId} makes a resend idempotent. */
  record Message(String clientId, String body) implements VisitorFrame {}

  record Typing() implements VisitorFrame {}

  /** Highest sequence number the visitor has seen (read receipt). */
  record Read(long seq) implements VisitorFrame {}

  /** The visitor ends the chat; {@code hurry} when it was the quick-exit button. */
  record Bye(boolean hurry) implements VisitorFrame {}

  /** Answer to a referral consent question (see ReferralGateway). */
  record Consent(String referralId, boolean accept) implements VisitorFrame {}

  /**
   * Delete on request: the conversation's keys and messages are destroyed at once
   * (crypto-shredding); the counselor is told it was deleted.
   */
  record Delete() implements VisitorFrame {}

  /**
   * Keep-alive; answered with {@code pong}. The page sends it every {@code heartbeat.pingSeconds}.
   */
  record Ping() implements VisitorFrame {}

  /**
   * The visitor pauses on purpose (the page is about to be suspended, e.g. a phone locked in a
   * pocket): when the socket then drops, the queue place is kept for the pause grace instead of the
   * queue grace. A resume clears it.
   */
  record Pause() implements VisitorFrame {}

  /**
   * The visitor is back from a pause on the same socket ("Verder"): the pause grace no longer
   * applies.
   */
  record Resume() implements VisitorFrame {}
}
