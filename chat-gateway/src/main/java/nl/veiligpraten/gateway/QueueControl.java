package nl.veiligpraten.gateway;

import nl.veiligpraten.infra.abuse.AddressHasher;
import nl.veiligpraten.infra.abuse.KeyedLimiter;
import nl.veiligpraten.staffing.StaffingRepository;
import nl.veiligpraten.staffing.StaffingView;

/**
 * What a visitor connection needs to queue honestly and resist floods: this event loop's staffing
 * view, the wait rules, and the node's limits on new conversations and P0 claims (counted per keyed
 * address hash and per node).
 *
 * @param view this verticle's cached staffing snapshot
 * @param staffing places of queued chats, P0 claims held for a supervisor
 * @param waits waits, caps and alternatives
 * @param hasher keyed hash of network addresses (memory only, key rotated at least hourly)
 * @param newConversations limit on new conversations
 * @param p0Claims limit on P0 claims; a claim beyond it is queued at P1 until a supervisor confirms
 *     it
 */
record QueueControl(
    StaffingView view,
    StaffingRepository staffing,
    QueueWaits waits,
    AddressHasher hasher,
    KeyedLimiter newConversations,
    KeyedLimiter p0Claims) {}
