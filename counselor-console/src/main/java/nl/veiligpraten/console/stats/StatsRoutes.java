package nl.veiligpraten.console.stats;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.console.StaffSession;
import nl.veiligpraten.routing.stats.Dimension;
import nl.veiligpraten.routing.stats.Figure;
import nl.veiligpraten.routing.stats.Granularity;
import nl.veiligpraten.routing.stats.Publication;
import nl.veiligpraten.routing.stats.PublishedFigure;
import nl.veiligpraten.routing.stats.PublishedTable;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.StatsRequestException;
import nl.veiligpraten.routing.stats.ValueTable;
import nl.veiligpraten.routing.stats.Viewer;
import nl.veiligpraten.statistics.StatsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statistics JSON API, CSV export and SVG charts of the console, behind the console's session check
 * (mounted after the {@code /api/*} auth handler). Every request goes through {@link
 * StatsQuery#parse} (400/403 with a reason) and {@link Publication} (who sees what, disclosure
 * control). The page itself is static: {@code /stats/}.
 */
public final class StatsRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(StatsRoutes.class);

  /** A counselor counts as online while their session was used within this window. */
  static final long PRESENCE_WINDOW_SECONDS = 300;

  static final long SAMPLE_EVERY_MS = 60_000;

  private final StatsRepository repo;

  private StatsRoutes(
      Pool pool, StatsSettings settings, Map<String, Map<Integer, Integer>> targets) {
    this.repo = new StatsRepository(pool, settings.waitThresholdsMinutes(), targets);
  }

  /**
   * Adds the statistics routes and starts the once-a-minute capacity sampler.
   *
   * @param targets target first-response seconds per help point and priority (service level)
   */
  public static void mount(
      Router router, Vertx vertx, Pool pool, Map<String, Map<Integer, Integer>> targets) {
    StatsRoutes routes = new StatsRoutes(pool, StatsSettings.fromEnv(System.getenv()), targets);
    router.get("/api/stats/meta").handler(routes::meta);
    router.get("/api/stats/figure").handler(routes::figure);
    router.get("/api/stats/export.csv").handler(routes::csv);
    router.get("/api/stats/chart.svg").handler(routes::chart);
    vertx.setPeriodic(
        SAMPLE_EVERY_MS,
        t ->
            routes
                .repo
                .sampleCapacity(PRESENCE_WINDOW_SECONDS)
                .onFailure(e -> LOG.warn("capacity sample failed: {}", e.getClass().getName())));
  }

  private void meta(RoutingContext ctx) {
    Viewer viewer = viewer(ctx);
    if (!viewer.orgRole() && !viewer.chainRole()) {
      error(ctx, 403, "no_statistics_role", "Your role has no access to statistics.");
      return;
    }
    JsonArray figures = new JsonArray();
    for (Figure f : Figure.values()) {
      if (viewer.chainRole() && f.insideOnly()) {
        continue;
      }
      figures.add(
          new JsonObject()
              .put("code", f.code())
              .put("title", f.title())
              .put("titleNl", f.titleNl())
              .put(
                  "splits",
                  new JsonArray(f.splits().stream().map(Dimension::code).sorted().toList()))
              .put("timeRows", f.allowsTimeRows()));
    }
    LocalDate today = LocalDate.now(StatsRepository.ZONE);
    LocalDate lastMonth = today.withDayOfMonth(1).minusMonths(1);
    JsonObject out =
        new JsonObject()
            .put("role", viewer.role())
            .put("organisation", viewer.orgId())
            .put(
                "scopes",
                new JsonArray(viewer.chainRole() ? List.of("chain") : List.of("own", "chain")))
            .put(
                "granularities",
                new JsonArray(viewer.chainRole() ? List.of("month") : Granularity.codes()))
            .put("figures", figures)
            .put(
                "defaultFrom",
                viewer.chainRole() ? lastMonth.toString() : today.withDayOfMonth(1).toString())
            .put(
                "defaultTo",
                viewer.chainRole()
                    ? lastMonth.plusMonths(1).minusDays(1).toString()
                    : today.toString())
            .put("threshold", 10);
    json(ctx, 200, out);
  }

  private void figure(RoutingContext ctx) {
    load(ctx, Map.of()).onSuccess(fig -> json(ctx, 200, StatsJson.of(fig)));
  }

  private void csv(RoutingContext ctx) {
    load(ctx, Map.of())
        .onSuccess(
            fig -> {
              String name =
                  "statistics-"
                      + fig.query().figure().code()
                      + "-"
                      + fig.query().from()
                      + "-"
                      + fig.query().to()
                      + ".csv";
              ctx.response()
                  .putHeader("Content-Type", "text/csv; charset=utf-8")
                  .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                  .end(StatsCsv.of(fig));
            });
  }

  private void chart(RoutingContext ctx) {
    String table = ctx.request().getParam("table");
    load(ctx, Map.of("table", ""))
        .onSuccess(
            fig -> {
              String svg = null;
              for (PublishedFigure.Named named : fig.tables()) {
                if (table == null || named.name().equals(table)) {
                  PublishedTable t = named.table();
                  Long[][] cells = new Long[t.rows().size()][t.columns().size()];
                  for (int i = 0; i < cells.length; i++) {
                    for (int j = 0; j < cells[i].length; j++) {
                      cells[i][j] = t.cell(i, j);
                    }
                  }
                  if (fig.query().figure() == Figure.HEATMAP) {
                    Double[][] values = new Double[cells.length][];
                    for (int i = 0; i < cells.length; i++) {
                      values[i] = new Double[cells[i].length];
                      for (int j = 0; j < cells[i].length; j++) {
                        values[i][j] = cells[i][j] == null ? null : cells[i][j].doubleValue();
                      }
                    }
                    svg =
                        SvgChart.heatmap(
                            fig.query().figure().title() + " · " + named.name(),
                            t.rows(),
                            t.columns(),
                            values);
                    break;
                  }
                  svg =
                      SvgChart.stackedBars(
                          fig.query().figure().title() + " · " + named.name(),
                          t.rows(),
                          t.columns(),
                          cells);
                  break;
                }
              }
              if (svg == null) {
                for (ValueTable v : fig.values()) {
                  if (table == null || v.name().equals(table)) {
                    String title =
                        fig.query().figure().title() + " · " + v.name() + " (" + v.unit() + ")";
                    svg =
                        fig.query().figure() == Figure.HEATMAP
                            ? SvgChart.heatmap(title, v.rows(), v.columns(), v.values())
                            : fig.query().rows() == nl.veiligpraten.routing.stats.RowKind.TIME
                                ? SvgChart.lines(title, v.rows(), v.columns(), v.values())
                                : SvgChart.groupedBars(
                                    title, v.rows(), v.columns(), v.values(), targets(fig, v));
                    break;
                  }
                }
              }
              if (svg == null) {
                error(ctx, 400, "unknown_table", "This figure has no table with that name.");
                return;
              }
              ctx.response().putHeader("Content-Type", "image/svg+xml; charset=utf-8").end(svg);
            });
  }

  /**
   * Target first-response seconds aligned with a table of seconds (waiting percentiles), for target
   * lines.
   */
  private static Double[][] targets(PublishedFigure fig, ValueTable v) {
    if (!"seconds".equals(v.unit()) || v.name().equals("target_seconds")) {
      return null;
    }
    ValueTable t =
        fig.values().stream()
            .filter(x -> x.name().equals("target_seconds"))
            .findFirst()
            .orElse(null);
    if (t == null) {
      return null;
    }
    Double[][] out = new Double[v.rows().size()][v.columns().size()];
    for (int i = 0; i < out.length; i++) {
      int ti = t.rows().indexOf(v.rows().get(i));
      for (int j = 0; j < out[i].length; j++) {
        int tj = t.columns().indexOf(v.columns().get(j));
        out[i][j] = ti < 0 || tj < 0 ? null : t.value(ti, tj);
      }
    }
    return out;
  }

  /**
   * Validates the request, reads and publishes the figure. Failures are answered here (400/403 with
   * a reason, 500 without details); the returned future then never completes for the caller.
   */
  private Future<PublishedFigure> load(RoutingContext ctx, Map<String, String> extraAllowed) {
    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, String> e : ctx.queryParams().entries()) {
      if (extraAllowed.containsKey(e.getKey())) {
        continue;
      }
      if (params.containsKey(e.getKey())) {
        error(
            ctx,
            400,
            "repeated_parameter",
            "Parameter '" + e.getKey().replaceAll("[^a-z_]", "?") + "' is given twice.");
        return Future.future(p -> {});
      }
      params.put(e.getKey(), e.getValue());
    }
    StatsQuery query;
    try {
      query = StatsQuery.parse(params, viewer(ctx));
    } catch (StatsRequestException e) {
      error(ctx, e.status(), e.code(), e.getMessage());
      return Future.future(p -> {});
    }
    // Publication (disclosure control) is CPU work on small tables, but keep it off the event loop
    // all the same.
    return repo.figure(query)
        .compose(data -> ctx.vertx().executeBlocking(() -> Publication.publish(data), false))
        .onFailure(
            e -> {
              LOG.warn("statistics query failed: {}", e.getClass().getName());
              error(ctx, 500, "internal", "Statistics are not available right now.");
            })
        .transform(
            ar -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.future(p -> {}));
  }

  private static Viewer viewer(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    return new Viewer(session.role(), session.orgId());
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    if (!ctx.response().ended()) {
      json(ctx, status, new JsonObject().put("error", code).put("message", message));
    }
  }
}
