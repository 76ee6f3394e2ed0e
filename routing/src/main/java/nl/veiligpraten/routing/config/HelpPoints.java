package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import nl.veiligpraten.routing.Priority;

/**
 * Contents of {@code help-points.yaml}: every routing target, the acute window and named age
 * limits.
 *
 * @param acuteWindowDays "acute" means within this many days (brief §3, CSG); shown in the Q3
 *     answer text
 * @param ageLimits named limits usable in rule conditions, e.g. {@code adult: 18}
 * @param reassignAfterSeconds per priority: a chat whose counselor sent no first message this long
 *     after the assignment goes back to the head of the queue; shorter than every queue help
 *     point's first-response target of that priority, so it moves on before the target is missed
 */
public record HelpPoints(
    int acuteWindowDays,
    Map<String, Integer> ageLimits,
    Map<String, HelpPoint> byId,
    Map<Priority, Integer> reassignAfterSeconds) {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern PHONE = Pattern.compile("[0-9][0-9 \\-]*[0-9]");
  private static final List<String> HELP_POINT_FIELDS =
      List.of(
          "id",
          "kind",
          "name",
          "description",
          "phone",
          "chatUrl",
          "url",
          "openingHours",
          "ageMin",
          "ageMax",
          "retentionDays",
          "targetFirstResponseSeconds",
          "staffedBy",
          "queueCap",
          "overflowTo",
          "verify",
          "cost",
          "supplement",
          "nameEn",
          "phoneHours",
          "chatHours",
          "notice");

  public HelpPoints {
    ageLimits = Collections.unmodifiableMap(new LinkedHashMap<>(ageLimits));
    byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    reassignAfterSeconds = Collections.unmodifiableMap(new EnumMap<>(reassignAfterSeconds));
  }

  /** The help point, or empty if not configured. */
  public Optional<HelpPoint> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The help point; throws if the id is not configured. */
  public HelpPoint get(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("unknown help point " + id));
  }

  static HelpPoints read(YamlNode root) {
    root.allowOnly("acuteWindowDays", "ageLimits", "reassignAfterSeconds", "helpPoints");
    YamlNode window = root.require("acuteWindowDays");
    int acute = window.asInt();
    if (acute < 1) {
      throw window.error("acuteWindowDays must be at least 1");
    }
    Map<String, Integer> limits = new LinkedHashMap<>();
    YamlNode limitsNode = root.get("ageLimits");
    if (limitsNode != null) {
      for (Map.Entry<String, YamlNode> e : limitsNode.entries().entrySet()) {
        if (!ID.matcher(e.getKey()).matches()) {
          throw e.getValue()
              .error("age limit names must be lower-case words, got '" + e.getKey() + "'");
        }
        limits.put(e.getKey(), nonNegative(e.getValue()));
      }
    }
    Map<String, HelpPoint> byId = new LinkedHashMap<>();
    Map<String, YamlNode> nodes = new LinkedHashMap<>();
    for (YamlNode n : root.require("helpPoints").asList()) {
      HelpPoint hp = readOne(n);
      if (byId.containsKey(hp.id())) {
        throw n.require("id").error("duplicate help point id '" + hp.id() + "'");
      }
      byId.put(hp.id(), hp);
      nodes.put(hp.id(), n);
    }
    for (HelpPoint hp : byId.values()) {
      if (hp.staffedBy() != null) {
        HelpPoint staff = byId.get(hp.staffedBy());
        YamlNode at = nodes.get(hp.id()).require("staffedBy");
        if (staff == null) {
          throw at.error("unknown help point '" + hp.staffedBy() + "' in staffedBy");
        }
        if (staff.kind() != HelpPoint.Kind.QUEUE || staff.staffedBy() != null) {
          throw at.error(
              "staffedBy must name an organisation with its own queue, not '"
                  + hp.staffedBy()
                  + "'");
        }
      }
      if (hp.overflowTo() != null) {
        HelpPoint to = byId.get(hp.overflowTo());
        YamlNode at = nodes.get(hp.id()).require("overflowTo");
        if (to == null || to.kind() != HelpPoint.Kind.QUEUE || to.id().equals(hp.id())) {
          throw at.error(
              "overflowTo must name another help point with a queue, not '"
                  + hp.overflowTo()
                  + "'");
        }
      }
    }
    return new HelpPoints(
        acute, limits, byId, reassignAfter(root.require("reassignAfterSeconds"), byId));
  }

  /**
   * Per priority, at least 1 second and shorter than every queue help point's first-response
   * target.
   */
  private static Map<Priority, Integer> reassignAfter(YamlNode node, Map<String, HelpPoint> byId) {
    node.allowOnly("P0", "P1", "P2", "P3");
    Map<Priority, Integer> out = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      YamlNode v = node.get(p.name());
      if (v == null) {
        throw node.error("reassignAfterSeconds: missing value for priority " + p);
      }
      int seconds = v.asInt();
      if (seconds < 1) {
        throw v.error("reassignAfterSeconds." + p + " must be at least 1 second, got " + seconds);
      }
      for (HelpPoint hp : byId.values()) {
        Integer target = hp.targetFirstResponseSeconds().get(p);
        if (target != null && seconds >= target) {
          throw v.error(
              "reassignAfterSeconds."
                  + p
                  + " ("
                  + seconds
                  + ") must be shorter than the "
                  + "first-response target of '"
                  + hp.id()
                  + "' for "
                  + p
                  + " ("
                  + target
                  + ")");
        }
      }
      out.put(p, seconds);
    }
    return out;
  }

  private static HelpPoint readOne(YamlNode n) {
    n.asMap().allowOnly(HELP_POINT_FIELDS.toArray(String[]::new));
    String id = n.requireText("id");
    if (!ID.matcher(id).matches()) {
      throw n.require("id")
          .error("help point ids are lower-case words with underscores, got '" + id + "'");
    }
    String kindText = n.requireText("kind");
    HelpPoint.Kind kind =
        switch (kindText) {
          case "queue" -> HelpPoint.Kind.QUEUE;
          case "card" -> HelpPoint.Kind.CARD;
          default ->
              throw n.require("kind")
                  .error("kind must be 'queue' or 'card', got '" + kindText + "'");
        };
    String phone = n.optText("phone");
    if (phone != null && !PHONE.matcher(phone).matches()) {
      throw n.require("phone")
          .error("phone may contain digits, spaces and dashes only, got '" + phone + "'");
    }
    String chatUrl = url(n, "chatUrl");
    String url = url(n, "url");
    OpeningHours hours =
        n.get("openingHours") == null ? null : OpeningHours.read(n.get("openingHours"));
    Integer ageMin = n.get("ageMin") == null ? null : nonNegative(n.get("ageMin"));
    Integer ageMax = n.get("ageMax") == null ? null : nonNegative(n.get("ageMax"));
    if (ageMin != null && ageMax != null && ageMin > ageMax) {
      throw n.require("ageMax").error("ageMax " + ageMax + " is below ageMin " + ageMin);
    }
    Integer retention = null;
    Integer queueCap = null;
    String overflowTo = null;
    Map<Priority, Integer> sla = new EnumMap<>(Priority.class);
    String staffedBy = n.optText("staffedBy");
    if (kind == HelpPoint.Kind.QUEUE) {
      YamlNode r = n.require("retentionDays");
      retention = r.asInt();
      if (retention < 1) {
        throw r.error("retentionDays must be at least 1");
      }
      YamlNode slaNode = n.require("targetFirstResponseSeconds");
      slaNode.allowOnly("P0", "P1", "P2", "P3");
      for (Priority p : Priority.values()) {
        YamlNode v = slaNode.get(p.name());
        if (v == null) {
          throw slaNode.error("missing target for priority " + p);
        }
        int seconds = v.asInt();
        if (seconds < 1 || seconds > HelpPoint.MAX_TARGET_SECONDS) {
          throw v.error(
              "targetFirstResponseSeconds."
                  + p
                  + " must be from 1 to "
                  + HelpPoint.MAX_TARGET_SECONDS
                  + " seconds, got "
                  + seconds);
        }
        sla.put(p, seconds);
      }
      YamlNode capNode = n.get("queueCap");
      if (capNode == null) {
        throw n.error(
            "queueCap is missing: every queue needs a cap (how many chats may wait at most)");
      }
      queueCap = capNode.asInt();
      if (queueCap < 1 || queueCap > HelpPoint.MAX_QUEUE_CAP) {
        throw capNode.error(
            "queueCap must be from 1 to " + HelpPoint.MAX_QUEUE_CAP + ", got " + queueCap);
      }
      overflowTo = n.optText("overflowTo");
    } else {
      for (String queueOnly :
          List.of(
              "retentionDays",
              "targetFirstResponseSeconds",
              "staffedBy",
              "queueCap",
              "overflowTo")) {
        if (n.has(queueOnly)) {
          throw n.get(queueOnly).error("'" + queueOnly + "' is only allowed for kind: queue");
        }
      }
    }
    List<String> verify = new ArrayList<>();
    for (YamlNode v : n.optList("verify")) {
      String field = v.asNonBlank();
      if (!HELP_POINT_FIELDS.contains(field) || field.equals("id") || field.equals("verify")) {
        throw v.error("verify lists field names of this help point; unknown field '" + field + "'");
      }
      verify.add(field);
    }
    String costText = n.requireText("cost");
    HelpPoint.Cost cost =
        switch (costText) {
          case "free" -> HelpPoint.Cost.FREE;
          case "paid" -> HelpPoint.Cost.PAID;
          default ->
              throw n.require("cost")
                  .error("cost must be 'free' or 'paid', got '" + costText + "'");
        };
    boolean supplement = n.optBool("supplement", false);
    boolean contact =
        kind == HelpPoint.Kind.QUEUE || phone != null || chatUrl != null || url != null;
    if (!contact && !supplement) {
      throw n.error(
          "help point '"
              + id
              + "' has no contact (no queue, phone, chatUrl or url); add contact data"
              + " or 'supplement: true' if it is an info card that is only shown next to other help");
    }
    if (supplement && (kind == HelpPoint.Kind.QUEUE || phone != null || chatUrl != null)) {
      throw n.require("supplement")
          .error("a help point with a queue, phone or chat is not a supplement");
    }
    OpeningHours phoneHours = lineHours(n, "phoneHours", phone, "phone");
    OpeningHours chatHours = lineHours(n, "chatHours", chatUrl, "chatUrl");
    LocalizedText description = LocalizedText.read(n.require("description"));
    Questionnaire.checkBanned(n.require("description"), description);
    LocalizedText notice = null;
    if (n.get("notice") != null) {
      notice = LocalizedText.readNotice(n.get("notice"));
      Questionnaire.checkBanned(n.get("notice"), notice);
    }
    return new HelpPoint(
        id,
        kind,
        n.requireText("name"),
        description,
        phone,
        chatUrl,
        url,
        hours,
        ageMin,
        ageMax,
        retention,
        sla,
        staffedBy,
        queueCap,
        overflowTo,
        verify,
        cost,
        supplement,
        n.optText("nameEn"),
        phoneHours,
        chatHours,
        notice);
  }

  private static OpeningHours lineHours(YamlNode n, String key, Object line, String lineKey) {
    if (n.get(key) == null) {
      return null;
    }
    if (line == null) {
      throw n.get(key).error("'" + key + "' needs '" + lineKey + "'");
    }
    return OpeningHours.read(n.get(key));
  }

  private static String url(YamlNode n, String key) {
    String u = n.optText(key);
    if (u != null && !u.startsWith("https://")) {
      throw n.require(key).error(key + " must start with https://, got '" + u + "'");
    }
    return u;
  }

  private static int nonNegative(YamlNode n) {
    int v = n.asInt();
    if (v < 0) {
      throw n.error("must not be negative");
    }
    return v;
  }
}
