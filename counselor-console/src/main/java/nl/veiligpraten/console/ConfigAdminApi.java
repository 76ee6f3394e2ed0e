package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import nl.veiligpraten.audit.AdminAudit;
import nl.veiligpraten.audit.AdminAudit.Action;
import nl.veiligpraten.liveconfig.ConfigVersions;
import nl.veiligpraten.routing.config.ConfigException;
import nl.veiligpraten.routing.config.ConfigTexts;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.HelpPointEntries;
import nl.veiligpraten.routing.config.HelpPoints;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.staff.StaffRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Help points, opening hours, closures, texts, questionnaire and routing rules edited live (issue
 * 21). Every change becomes a new configuration version in PostgreSQL with who and why ({@link
 * ConfigVersions}), after the start-up loader accepted it (same errors, same N1 "no dead ends"
 * check); every node applies it within seconds.
 *
 * <ul>
 *   <li>An organisation admin edits the entries of its own help points (those it staffs, or whose
 *       id is its own), and may add one of its own. Whatever else a change touches (another
 *       organisation's help point, the questionnaire, the routing rules, the file-wide settings) is
 *       refused, also in a rollback.
 *   <li>A platform admin edits anything: one help point, a whole file, an import of all three
 *       files, a rollback.
 *   <li>Every queue help point must be staffed by an existing organisation (created first with its
 *       key).
 *   <li>Changed routing rules need a new rules {@code version} (every decision records it).
 *   <li>An edit names the version it started from; when another version came meanwhile it is
 *       refused ({@code stale}), so nobody overwrites a change they did not see.
 * </ul>
 *
 * Every action, done or refused, is written to the admin audit trail: the done row in the same
 * transaction as the version. The trail and the log carry ids, file names, version numbers and the
 * loader's error, never a secret.
 */
final class ConfigAdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigAdminApi.class);
  private static final int MAX_REASON = 500;
  private static final int HISTORY = 50;

  private final Vertx vertx;
  private final ConfigVersions versions;
  private final StaffRepository staff;
  private final AdminAudit audit;
  private final IntSupplier appliedVersion;

  ConfigAdminApi(
      Vertx vertx,
      ConfigVersions versions,
      StaffRepository staff,
      AdminAudit audit,
      IntSupplier appliedVersion) {
    this.vertx = vertx;
    this.versions = versions;
    this.staff = staff;
    this.audit = audit;
    this.appliedVersion = appliedVersion;
  }

  // ---- reading
  // --------------------------------------------------------------------------------------------------

  /**
   * {@code GET /api/admin/config}: the live version, the version this node runs, the history, and
   * the help points the admin may edit with their entry as YAML (a platform admin: all, and the
   * file names).
   */
  void overview(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!StaffAdminApi.isAdmin(s)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Alleen voor beheerders. / Admins only.");
      return;
    }
    versions
        .latest()
        .compose(
            latest ->
                versions
                    .history(HISTORY)
                    .compose(
                        history ->
                            latest.isEmpty()
                                ? Future.failedFuture(
                                    new IllegalStateException("no configuration version stored"))
                                : vertx.executeBlocking(
                                    () -> {
                                      ConfigTexts texts = latest.get().texts();
                                      HelpPoints points =
                                          RoutingConfig.parse(
                                                  texts, "version " + latest.get().info().version())
                                              .helpPoints();
                                      Map<String, String> entries =
                                          HelpPointEntries.entries(texts.helpPoints());
                                      JsonArray editable = new JsonArray();
                                      for (HelpPoint h : points.byId().values()) {
                                        String owner = RoutingConfig.owner(h);
                                        if (Roles.platformAdmin(s) || owner.equals(s.orgId())) {
                                          editable.add(
                                              new JsonObject()
                                                  .put("id", h.id())
                                                  .put("name", h.name())
                                                  .put("kind", h.kind().code())
                                                  .put("organisation", owner)
                                                  .put("yaml", entries.get(h.id())));
                                        }
                                      }
                                      JsonArray past = new JsonArray();
                                      history.forEach(i -> past.add(json(i)));
                                      JsonObject out =
                                          new JsonObject()
                                              .put("version", latest.get().info().version())
                                              .put("appliedVersion", appliedVersion.getAsInt())
                                              .put("helpPoints", editable)
                                              .put("history", past)
                                              .put("platform", Roles.platformAdmin(s));
                                      if (Roles.platformAdmin(s)) {
                                        out.put("files", new JsonArray(ConfigTexts.FILES));
                                      }
                                      return out;
                                    },
                                    false)))
        .onSuccess(out -> ConsoleVerticle.json(ctx, 200, out))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /api/admin/config/export?version=N[&file=NAME]} (admins): one file as YAML to
   * download, or all three as JSON {@code {version, files: {name: text}}}; without {@code version}
   * the live one. For config as code.
   */
  void export(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!StaffAdminApi.isAdmin(s)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Alleen voor beheerders. / Admins only.");
      return;
    }
    String v = ctx.request().getParam("version");
    String file = ctx.request().getParam("file");
    if ((v != null && !v.matches("[1-9][0-9]{0,8}"))
        || (file != null && !ConfigTexts.FILES.contains(file))) {
      ConsoleApi.refuse(
          ctx,
          400,
          "invalid_field",
          "version: a version number; file: one of " + ConfigTexts.FILES + ".");
      return;
    }
    (v == null ? versions.latest() : versions.get(Integer.parseInt(v)))
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                ConsoleApi.refuse(
                    ctx, 404, "not_found", "Deze versie bestaat niet. / No such version.");
                return;
              }
              ConfigVersions.Version version = found.get();
              if (file != null) {
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + file + "\"")
                    .putHeader("Cache-Control", "no-store")
                    .end(version.texts().get(file));
                return;
              }
              JsonObject files = new JsonObject();
              ConfigTexts.FILES.forEach(name -> files.put(name, version.texts().get(name)));
              ConsoleVerticle.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("version", version.info().version())
                      .put("info", json(version.info()))
                      .put("files", files));
            })
        .onFailure(ctx::fail);
  }

  // ---- changes
  // --------------------------------------------------------------------------------------------------

  /**
   * {@code PUT /api/admin/config/help-points/:id {yaml, reason, baseVersion}}: the help point's
   * entry (contact data, hours, closures, texts) replaced, or added when there is none with that
   * id.
   */
  void putHelpPoint(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = ConsoleApi.body(ctx);
    String yaml = body != null && body.getValue("yaml") instanceof String t ? t : null;
    boolean validId = id != null && id.matches("[a-z][a-z0-9_]{0,39}");
    // Only a well-formed id goes into the trail: whatever else was sent is the caller's text, not a
    // help point.
    AdminAudit.Target target =
        new AdminAudit.Target(null, validId ? "help point " + id : "help point (invalid id)", null);
    if (!validId || yaml == null || yaml.isBlank()) {
      refuse(
          ctx,
          Action.EDIT_CONFIG,
          target,
          400,
          "invalid_field",
          "id: [a-z][a-z0-9_]{0,39}; yaml: the help " + "point's entry.",
          new JsonObject());
      return;
    }
    change(
        ctx,
        Action.EDIT_CONFIG,
        ConfigVersions.Kind.EDIT,
        target,
        new JsonObject().put("helpPoint", id),
        null,
        current ->
            current.with(
                RoutingConfig.HELP_POINTS_FILE,
                HelpPointEntries.put(current.helpPoints(), id, yaml)));
  }

  /**
   * {@code PUT /api/admin/config/files/:file {yaml, reason, baseVersion}} (platform admins): one
   * whole file.
   */
  void putFile(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    JsonObject body = ConsoleApi.body(ctx);
    String yaml = body != null && body.getValue("yaml") instanceof String t ? t : null;
    AdminAudit.Target target =
        new AdminAudit.Target(null, ConfigTexts.FILES.contains(file) ? file : "file", null);
    if (!ConfigTexts.FILES.contains(file) || yaml == null || yaml.isBlank()) {
      refuse(
          ctx,
          Action.EDIT_CONFIG,
          target,
          400,
          "invalid_field",
          "file: one of " + ConfigTexts.FILES + "; yaml: its text.",
          new JsonObject());
      return;
    }
    change(
        ctx,
        Action.EDIT_CONFIG,
        ConfigVersions.Kind.EDIT,
        target,
        new JsonObject().put("file", file),
        null,
        current -> current.with(file, yaml));
  }

  /**
   * {@code POST /api/admin/config/import {files: {name: yaml}, reason, baseVersion}}: the files
   * given replace the live ones (files not given stay), validated together; config as code from an
   * export or a repository.
   */
  void importFiles(RoutingContext ctx) {
    JsonObject body = ConsoleApi.body(ctx);
    JsonObject files = body != null && body.getValue("files") instanceof JsonObject f ? f : null;
    AdminAudit.Target target = new AdminAudit.Target(null, "configuration", null);
    if (files == null
        || files.isEmpty()
        || !ConfigTexts.FILES.containsAll(files.fieldNames())
        || files.stream().anyMatch(e -> !(e.getValue() instanceof String t) || t.isBlank())) {
      refuse(
          ctx,
          Action.IMPORT_CONFIG,
          target,
          400,
          "invalid_field",
          "files: {name: yaml} with names from " + ConfigTexts.FILES + ".",
          new JsonObject());
      return;
    }
    change(
        ctx,
        Action.IMPORT_CONFIG,
        ConfigVersions.Kind.IMPORT,
        target,
        new JsonObject()
            .put("files", new JsonArray(new ArrayList<>(new TreeSet<>(files.fieldNames())))),
        null,
        current -> {
          ConfigTexts out = current;
          for (String name : files.fieldNames()) {
            out = out.with(name, files.getString(name));
          }
          return out;
        });
  }

  /**
   * {@code POST /api/admin/config/rollback {version, reason, baseVersion}}: an earlier version's
   * texts become the next version. Checked like any other change: an organisation admin may roll
   * back only its own help points.
   */
  void rollback(RoutingContext ctx) {
    JsonObject body = ConsoleApi.body(ctx);
    Integer to = body != null && body.getValue("version") instanceof Number n ? n.intValue() : null;
    AdminAudit.Target target = new AdminAudit.Target(null, "configuration", null);
    if (to == null || to < 1) {
      refuse(
          ctx,
          Action.ROLLBACK_CONFIG,
          target,
          400,
          "invalid_field",
          "version: the version to go back to.",
          new JsonObject());
      return;
    }
    versions
        .get(to)
        .onSuccess(
            old -> {
              if (old.isEmpty()) {
                refuse(
                    ctx,
                    Action.ROLLBACK_CONFIG,
                    target,
                    404,
                    "not_found",
                    "Deze versie bestaat niet. / No such version.",
                    new JsonObject().put("to", to));
                return;
              }
              change(
                  ctx,
                  Action.ROLLBACK_CONFIG,
                  ConfigVersions.Kind.ROLLBACK,
                  target,
                  new JsonObject().put("to", to),
                  to,
                  current -> old.get().texts());
            })
        .onFailure(ctx::fail);
  }

  /**
   * The one path of every change: reason and base version, the candidate texts, the loader, the
   * scope of the admin, the staffing organisations, then the new version with its audit row in one
   * transaction.
   */
  private void change(
      RoutingContext ctx,
      Action action,
      ConfigVersions.Kind kind,
      AdminAudit.Target target,
      JsonObject detail,
      Integer restoredFrom,
      UnaryOperator<ConfigTexts> edit) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = ConsoleApi.body(ctx);
    String reason = body != null && body.getValue("reason") instanceof String r ? r.strip() : "";
    Integer base =
        body != null && body.getValue("baseVersion") instanceof Number n ? n.intValue() : null;
    if (!StaffAdminApi.isAdmin(s)) {
      refuse(
          ctx, action, target, 403, "forbidden", "Alleen voor beheerders. / Admins only.", detail);
      return;
    }
    if (kind != ConfigVersions.Kind.EDIT || detail.containsKey("file")) {
      if (!Roles.platformAdmin(s) && kind != ConfigVersions.Kind.ROLLBACK) {
        refuse(
            ctx,
            action,
            target,
            403,
            "platform_only",
            "Alleen een platformbeheerder wijzigt hele bestanden, "
                + "de vragenlijst en de routeringsregels. / Only a platform admin changes whole files, the questionnaire "
                + "and the routing rules.",
            detail);
        return;
      }
    }
    if (reason.isEmpty() || reason.length() > MAX_REASON || base == null) {
      refuse(
          ctx,
          action,
          target,
          400,
          "invalid_field",
          "reason: why (1-"
              + MAX_REASON
              + " characters); "
              + "baseVersion: the version you started from.",
          detail);
      return;
    }
    versions
        .latest()
        .compose(
            latest -> {
              if (latest.isEmpty() || latest.get().info().version() != base) {
                return Future.succeededFuture(
                    Check.refused(
                        409,
                        "stale",
                        "Er is intussen een nieuwere versie ("
                            + latest.map(l -> l.info().version()).orElse(0)
                            + "). Laad opnieuw. / A newer version was stored "
                            + "meanwhile; reload.",
                        null));
              }
              return vertx.executeBlocking(() -> check(s, latest.get().texts(), edit, base), false);
            })
        .compose(
            check ->
                check.refusal() != null
                    ? Future.succeededFuture(check)
                    : missingOrganisations(check.organisations())
                        .map(
                            missing ->
                                missing.isEmpty()
                                    ? check
                                    : Check.refused(
                                        400,
                                        "unknown_organisation",
                                        "Deze organisatie bestaat niet; maak haar eerst aan: "
                                            + missing
                                            + " / Unknown organisation; add it first: "
                                            + missing,
                                        null)))
        .onSuccess(
            check -> {
              if (check.refusal() != null) {
                JsonObject why = detail.copy();
                if (check.problem() != null) {
                  why.put("problem", clip(check.problem(), 400));
                }
                refuse(
                    ctx,
                    action,
                    check.target() != null ? check.target() : target,
                    check.status(),
                    check.refusal(),
                    check.message(),
                    why);
                return;
              }
              AdminAudit.Target done =
                  new AdminAudit.Target(null, target.name(), check.organisation());
              JsonObject trail = detail.copy().put("version", base + 1).put("reason", reason);
              versions
                  .store(
                      base,
                      check.candidate(),
                      kind,
                      new ConfigVersions.Author(s.user().id(), s.user().username()),
                      reason,
                      restoredFrom,
                      conn ->
                          new AdminAudit(conn).done(StaffAdminApi.actor(s), action, done, trail))
                  .onSuccess(
                      info -> {
                        LOG.info(
                            "configuration version {} ({}) stored by staff {}",
                            info.version(),
                            action.code(),
                            s.user().id());
                        ConsoleVerticle.json(
                            ctx,
                            200,
                            new JsonObject()
                                .put("version", info.version())
                                .put("info", json(info)));
                      })
                  .onFailure(
                      e -> {
                        if (e instanceof ConfigVersions.StaleVersionException) {
                          refuse(
                              ctx,
                              action,
                              target,
                              409,
                              "stale",
                              "Er is intussen een nieuwere versie. Laad opnieuw. / A "
                                  + "newer version was stored meanwhile; reload.",
                              detail);
                        } else {
                          ctx.fail(e);
                        }
                      });
            })
        .onFailure(ctx::fail);
  }

  /** What a change would do, decided off the event loop: a refusal, or the candidate texts. */
  private record Check(
      ConfigTexts candidate,
      String organisation,
      Set<String> organisations,
      int status,
      String refusal,
      String message,
      String problem,
      AdminAudit.Target target) {
    static Check refused(int status, String code, String message, String problem) {
      return new Check(null, null, Set.of(), status, code, message, problem, null);
    }
  }

  /**
   * Builds the candidate, runs the loader on it, and checks the admin's scope. Blocking (the
   * loader's N1 check).
   */
  private static Check check(
      StaffSession s, ConfigTexts current, UnaryOperator<ConfigTexts> edit, int base) {
    ConfigTexts candidate;
    RoutingConfig before;
    RoutingConfig after;
    try {
      before = RoutingConfig.parse(current, "version " + base);
      candidate = edit.apply(current);
      after = RoutingConfig.parse(candidate, "new version");
    } catch (ConfigException e) {
      return Check.refused(400, "invalid_config", e.getMessage(), e.getMessage());
    }
    if (candidate.equals(current)) {
      return Check.refused(400, "no_change", "Er verandert niets. / Nothing changes.", null);
    }
    // Every decision records the rules version that made it: changed rules under an old version
    // string would make
    // statistics and overrides point at rules that were not the ones in force (routing-rules.yaml:
    // "BUMP version").
    if (!current.rules().equals(candidate.rules())
        && before.rules().version().equals(after.rules().version())) {
      String problem =
          "routing-rules.yaml changed but its version is still '" + after.rules().version() + "'";
      return Check.refused(
          400,
          "rules_version",
          "De routeringsregels zijn gewijzigd: verhoog 'version' bovenaan "
              + "routing-rules.yaml. / The routing rules changed: bump 'version' at the top of routing-rules.yaml.",
          problem);
    }
    // Which help points change (their entry text differs, or one is added or removed)?
    Map<String, String> oldEntries = HelpPointEntries.entries(current.helpPoints());
    Map<String, String> newEntries = safeEntries(candidate.helpPoints());
    Set<String> changed = new TreeSet<>();
    Set<String> ids = new TreeSet<>(oldEntries.keySet());
    ids.addAll(after.helpPoints().byId().keySet());
    for (String id : ids) {
      if (newEntries == null || !java.util.Objects.equals(oldEntries.get(id), newEntries.get(id))) {
        changed.add(id);
      }
    }
    Set<String> owners = new TreeSet<>();
    for (String id : changed) {
      before.helpPoints().find(id).map(RoutingConfig::owner).ifPresent(owners::add);
      after.helpPoints().find(id).map(RoutingConfig::owner).ifPresent(owners::add);
    }
    String organisation = owners.size() == 1 ? owners.iterator().next() : null;
    if (!Roles.platformAdmin(s)) {
      boolean othersOnly =
          current.questionnaire().equals(candidate.questionnaire())
              && current.rules().equals(candidate.rules())
              && sameFileWide(before.helpPoints(), after.helpPoints());
      Set<String> foreign = new TreeSet<>(owners);
      foreign.remove(s.orgId());
      if (!othersOnly || !foreign.isEmpty() || newEntries == null) {
        Check refused =
            Check.refused(
                403,
                "other_organisation",
                "Je kunt alleen de hulppunten van je eigen "
                    + "organisatie wijzigen. / You can only change your own organisation's help points.",
                "changes " + (othersOnly ? "help points of " + foreign : "more than help points"));
        return new Check(
            null,
            null,
            Set.of(),
            refused.status(),
            refused.refusal(),
            refused.message(),
            refused.problem(),
            new AdminAudit.Target(null, "help points " + changed, s.orgId()));
      }
    }
    // Every queue help point that changes must be staffed by an organisation that exists (with its
    // key).
    Set<String> staffing = new TreeSet<>();
    for (String id : changed) {
      after
          .helpPoints()
          .find(id)
          .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
          .map(RoutingConfig::owner)
          .ifPresent(staffing::add);
    }
    return new Check(candidate, organisation, staffing, 200, null, null, null, null);
  }

  private static Map<String, String> safeEntries(String helpPointsYaml) {
    try {
      return HelpPointEntries.entries(helpPointsYaml);
    } catch (ConfigException e) {
      // Valid YAML the one-entry editor cannot split (a flow list): a platform admin's import may
      // do that.
      return null;
    }
  }

  private static boolean sameFileWide(HelpPoints a, HelpPoints b) {
    return a.acuteWindowDays() == b.acuteWindowDays()
        && a.ageLimits().equals(b.ageLimits())
        && a.reassignAfterSeconds().equals(b.reassignAfterSeconds());
  }

  private Future<List<String>> missingOrganisations(Set<String> orgs) {
    List<String> missing = new ArrayList<>();
    Future<Void> all = Future.succeededFuture();
    for (String org : orgs) {
      all =
          all.compose(
              v ->
                  staff
                      .organisationName(org)
                      .map(
                          name -> {
                            if (name.isEmpty()) {
                              missing.add(org);
                            }
                            return null;
                          }));
    }
    return all.map(missing);
  }

  private void refuse(
      RoutingContext ctx,
      Action action,
      AdminAudit.Target target,
      int status,
      String code,
      String message,
      JsonObject detail) {
    StaffSession s = ctx.get(StaffSession.KEY);
    audit
        .refused(StaffAdminApi.actor(s), action, target, code, detail)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("admin audit write failed: {}", ar.cause().getClass().getName());
              }
              ConsoleApi.refuse(ctx, status, code, message);
            });
  }

  private static JsonObject json(ConfigVersions.Info i) {
    return new JsonObject()
        .put("version", i.version())
        .put("at", i.at().toInstant().toString())
        .put("author", i.authorName())
        .put("kind", i.kind())
        .put("reason", i.reason())
        .put("restoredFrom", i.restoredFrom());
  }

  private static String clip(String s, int max) {
    return s == null ? null : s.length() <= max ? s : s.substring(0, max);
  }
}
