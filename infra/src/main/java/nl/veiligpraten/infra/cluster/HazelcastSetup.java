package nl.veiligpraten.infra.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a clustered Vert.x on Hazelcast: TCP-IP join with the configured members only, or
 * Kubernetes DNS discovery through a headless service (multicast and auto-detection always off),
 * short failure detection, and the event bus bound to the configured host, over TLS with client
 * certificates when {@link EventBusTls} is configured. We add no Hazelcast maps of our own: the
 * cluster holds only Vert.x's subscription registry (addresses like {@code vp.conversation.<uuid>}
 * and the nodes' own event-bus host:port), never message text or visitor data. Hazelcast's own
 * traffic is plain TCP (open-source Hazelcast has no member TLS), so its port belongs on a private
 * network ({@code docs/security.md}).
 */
public final class HazelcastSetup {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);

  private HazelcastSetup() {}

  /**
   * The Hazelcast configuration for these settings (Vert.x's default map settings, our network and
   * timing).
   */
  public static Config config(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The application drains itself on SIGTERM and then leaves the cluster; Hazelcast must not
    // leave first.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty(
        "hazelcast.heartbeat.interval.seconds", String.valueOf(settings.heartbeatSeconds()));
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", String.valueOf(settings.maxNoHeartbeatSeconds()));
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    // After a partition heals, merge quickly so both halves see each other's subscriptions again.
    config.setProperty(
        "hazelcast.merge.first.run.delay.seconds", String.valueOf(settings.mergeDelaySeconds()));
    config.setProperty(
        "hazelcast.merge.next.run.delay.seconds", String.valueOf(settings.mergeDelaySeconds()));
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.hazelcastPort()).setPortAutoIncrement(false);
    network.setPublicAddress(settings.host() + ":" + settings.hazelcastPort());
    if (settings.host().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      network.getInterfaces().setEnabled(true).addInterface(settings.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    switch (settings.join()) {
      case TCP_IP ->
          join.getTcpIpConfig()
              .setEnabled(true)
              .setMembers(settings.members())
              .setConnectionTimeoutSeconds(settings.joinTimeoutSeconds());
      case KUBERNETES -> {
        // DNS lookup mode: the headless service's A records are the ready pods; no Kubernetes API
        // access needed.
        join.getTcpIpConfig().setEnabled(false);
        join.getKubernetesConfig()
            .setEnabled(true)
            .setProperty("service-dns", settings.kubernetesServiceDns().orElseThrow())
            .setProperty(
                "service-dns-timeout", String.valueOf(settings.kubernetesDnsTimeoutSeconds()))
            .setProperty("service-port", String.valueOf(settings.hazelcastPort()));
      }
    }
    return config;
  }

  /**
   * Starts a clustered Vert.x and registers its {@link ClusterHealth}; resolves once this node has
   * joined (or formed) the cluster.
   */
  public static Future<Vertx> start(VertxOptions options, ClusterSettings settings) {
    EventBusOptions eventBus;
    try {
      eventBus =
          settings
              .eventBusTls()
              .apply(
                  new EventBusOptions()
                      .setHost(settings.host())
                      .setPort(settings.eventBusPort())
                      .setClusterPublicHost(settings.host()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (eventBus.isSsl()) {
      LOG.info("event bus between nodes: TLS 1.3 with client certificates from the cluster CA");
    } else if (settings.eventBusTls().plaintextOnPrivateNetwork()) {
      LOG.warn(
          "event bus between nodes in plain text ({}=true): its port must be on a private network",
          EventBusTls.PLAINTEXT_PRIVATE_NETWORK);
    } else {
      LOG.warn("event bus between nodes in plain text without TLS (demo or test only)");
    }
    options.setEventBusOptions(eventBus);
    HazelcastClusterManager manager = new HazelcastClusterManager(config(settings));
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .map(
            vertx -> {
              ClusterHealth.register(
                  vertx,
                  new ClusterHealth(true, settings.quorum(), () -> manager.getNodes().size()));
              return vertx;
            });
  }
}
