package nl.veiligpraten.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import nl.veiligpraten.gateway.IntakeRouting;

/** Loads the routing configuration and adapts the routing engine to the gateway. */
final class IntakeRoutingFactory {

  private IntakeRoutingFactory() {
  }

  static LoadedRouting load(Path configDir) {
    return new LoadedRouting();
  }

  static void explainCli(String[] args) {
    throw new UnsupportedOperationException("explain lands with the routing engine");
  }

  /** Temporary until the routing engine is merged. */
  static final class LoadedRouting implements IntakeRouting {
    Map<String, String> queueHelpPoints() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      DemoData.ORGANISATIONS.keySet().forEach(k -> out.put(k, k));
      return out;
    }

    @Override
    public JsonObject explain(JsonObject answers) {
      return new JsonObject();
    }

    @Override
    public Optional<Route> route(String helpPoint, JsonObject answers) {
      if (!queueHelpPoints().containsKey(helpPoint)) {
        throw new InvalidIntakeException("helpPoint", new JsonArray(), "unknown help point");
      }
      return Optional.of(new Route(helpPoint, helpPoint, 3, "none", new JsonObject()));
    }

    @Override
    public JsonObject publicConfig() {
      return new JsonObject();
    }
  }
}
