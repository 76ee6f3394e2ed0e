package nl.veiligpraten.infra.bus;

/**
 * Every note the event bus carries between verticles and nodes, as one sealed type (issue 25). A
 * note is grouped by the address family it travels on, because the same kind string means different
 * things on different addresses ({@code assigned} on a conversation carries the counselor, on a
 * staff user the conversation): {@link ConversationNote} on {@link Addresses#conversation}, {@link
 * QueueNote} on {@link Addresses#queue}, {@link InboxNote} on {@link Addresses#inbox}, {@link
 * SupervisorAlert} on {@link Addresses#supervisors} and {@link StaffUserNote} on {@link
 * Addresses#staffUser}, {@link WarmTransfer} on {@link Addresses#transferOffers} and {@link
 * Addresses#transferAnswers}. {@link BusNoteCodec} is the one place that turns them into and out of
 * JSON; {@link BusNotes} publishes and subscribes with the address that belongs to the family.
 *
 * <p>Notes carry codes, ids and sequence numbers only, never message text: receivers read messages
 * from PostgreSQL.
 */
public sealed interface BusNote
    permits ConversationNote, QueueNote, InboxNote, SupervisorAlert, StaffUserNote, WarmTransfer {

  /**
   * The kind string on the wire ({@code "kind"}), stable across versions so a rolling upgrade keeps
   * working.
   */
  String kind();
}
