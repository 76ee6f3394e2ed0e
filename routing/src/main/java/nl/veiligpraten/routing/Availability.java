package nl.veiligpraten.routing;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.OpeningHours;

/**
 * Whether a help point can be reached now, and how (brief §4.2 N1). A help point is reachable now
 * when at least one of its channels is: its queue is open by its hours AND staffed, or its phone or
 * chat line is open by its configured hours. A website alone, unknown hours and an unstaffed queue
 * do not count.
 *
 * @param channels every channel the help point has (queue, phone, chat)
 * @param openNow the channels that can be used right now
 * @param opensAt when not reachable now: the next moment one of its channels opens by its hours (a
 *     queue may still be unstaffed then); empty when reachable now or when no hours are known
 * @param hoursKnown false when none of its channels has configured hours (the page must not say
 *     "open")
 */
public record Availability(
    List<Channel> channels,
    List<Channel> openNow,
    Optional<ZonedDateTime> opensAt,
    boolean hoursKnown) {

  /**
   * Placeholder before a moment is applied ({@link RoutingEngine#rank}): nothing known, nothing
   * open.
   */
  public static final Availability UNKNOWN =
      new Availability(List.of(), List.of(), Optional.empty(), false);

  public Availability {
    channels = List.copyOf(channels);
    openNow = List.copyOf(openNow);
  }

  /** At least one channel can be used now. */
  public boolean reachableNow() {
    return !openNow.isEmpty();
  }

  /** The availability of a help point under a reachability view. Pure. */
  public static Availability of(HelpPoint hp, Reachability reach) {
    ZonedDateTime now = reach.now().atZone(OpeningHours.ZONE);
    List<Channel> channels = new ArrayList<>();
    List<Channel> open = new ArrayList<>();
    ZonedDateTime next = null;
    boolean known = false;
    for (Channel c : Channel.values()) {
      OpeningHours hours;
      switch (c) {
        case QUEUE -> {
          if (hp.kind() != HelpPoint.Kind.QUEUE) {
            continue;
          }
          hours = hp.openingHours();
        }
        case PHONE -> {
          if (hp.phone() == null) {
            continue;
          }
          hours = hp.phoneLineHours();
        }
        case CHAT -> {
          if (hp.chatUrl() == null) {
            continue;
          }
          hours = hp.chatLineHours();
        }
        default -> throw new IllegalStateException(c.name());
      }
      channels.add(c);
      if (hours == null) {
        continue; // unknown hours never count as open
      }
      known = true;
      boolean openByHours = hours.isOpenAt(now);
      if (openByHours && (c != Channel.QUEUE || reach.isStaffed(hp.id()))) {
        open.add(c);
      }
      if (!openByHours) {
        Optional<ZonedDateTime> n = hours.nextOpening(now);
        if (n.isPresent() && (next == null || n.get().isBefore(next))) {
          next = n.get();
        }
      }
    }
    return new Availability(
        channels, open, open.isEmpty() ? Optional.ofNullable(next) : Optional.empty(), known);
  }
}
