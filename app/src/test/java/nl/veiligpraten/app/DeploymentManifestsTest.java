package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nl.veiligpraten.infra.cluster.ClusterSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parses every manifest under {@code deploy/kubernetes} into fabric8's typed Kubernetes model and
 * checks what keeps the service safe there: replicas and quorum, probes on the real health
 * endpoints, the disruption budget, non-root with a read-only root, the key store and passphrase
 * from a Secret, and that every environment variable is one the service actually reads (names from
 * {@link EnvironmentNames}, values through the real settings readers).
 */
@DisplayName("Kubernetes manifests under deploy/")
class DeploymentManifestsTest {

  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final List<KubernetesResource> RESOURCES = new ArrayList<>();

  @BeforeAll
  static void parse() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Path> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no manifests in " + DIR.toAbsolutePath());
    for (Path file : files) {
      try (var parser = yaml.getFactory().createParser(file.toFile())) {
        var docs = yaml.readValues(parser, KubernetesResource.class);
        while (docs.hasNext()) {
          RESOURCES.add(docs.next());
        }
      }
    }
  }

  private static <T> List<T> all(Class<T> type) {
    return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T> T one(Class<T> type) {
    List<T> found = all(type);
    assertEquals(1, found.size(), "expected one " + type.getSimpleName());
    return found.get(0);
  }

  private static Container app(StatefulSet set) {
    return set.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> "veilig-praten".equals(c.getName()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @DisplayName(
      "every document parses into a typed resource; only the CloudNativePG resources and the NetworkPolicy "
          + "(fabric8's networking model is not a dependency) are generic")
  void everythingTyped() {
    assertTrue(RESOURCES.size() >= 9, "documents: " + RESOURCES.size());
    for (KubernetesResource r : RESOURCES) {
      HasMetadata m = (HasMetadata) r;
      assertNotNull(m.getMetadata().getName(), "a resource without a name");
      if (r instanceof GenericKubernetesResource generic) {
        boolean networkPolicy =
            "networking.k8s.io/v1".equals(generic.getApiVersion())
                && "NetworkPolicy".equals(generic.getKind());
        assertTrue(
            generic.getApiVersion().startsWith("postgresql.cnpg.io/") || networkPolicy,
            "untyped: " + generic.getKind());
        if (networkPolicy) {
          assertEquals(
              "veilig-praten",
              m.getMetadata().getNamespace(),
              "NetworkPolicy " + m.getMetadata().getName());
        }
      } else if (!"Namespace".equals(m.getKind())) {
        assertEquals(
            "veilig-praten",
            m.getMetadata().getNamespace(),
            m.getKind() + " " + m.getMetadata().getName());
      }
    }
  }

  @Test
  @DisplayName("three replicas with a quorum of two, and a budget that lets only one go at a time")
  void replicasQuorumAndBudget() {
    StatefulSet set = one(StatefulSet.class);
    assertEquals(3, set.getSpec().getReplicas());
    int quorum = Integer.parseInt(env(app(set)).get("VP_CLUSTER_QUORUM"));
    assertTrue(
        quorum > set.getSpec().getReplicas() / 2 && quorum < set.getSpec().getReplicas(),
        "quorum must be a majority that survives one lost node: " + quorum);
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
    assertEquals(
        set.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
    int left =
        pdb.getSpec().getMaxUnavailable() != null
            ? set.getSpec().getReplicas() - pdb.getSpec().getMaxUnavailable().getIntVal()
            : pdb.getSpec().getMinAvailable().getIntVal();
    assertTrue(
        left >= quorum, "a voluntary disruption may leave fewer nodes than the quorum: " + left);
  }

  @Test
  @DisplayName("readiness and liveness probe the service's own health endpoints on a declared port")
  void probes() {
    Container c = app(one(StatefulSet.class));
    Set<String> ports = c.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
    assertProbe(c.getReadinessProbe(), "/health/ready", ports);
    assertProbe(c.getLivenessProbe(), "/health/live", ports);
    // Liveness must be more patient than readiness: a node without its database is not ready, but
    // it is alive.
    assertTrue(
        c.getLivenessProbe().getPeriodSeconds() * c.getLivenessProbe().getFailureThreshold()
            > c.getReadinessProbe().getPeriodSeconds()
                * c.getReadinessProbe().getFailureThreshold());
    assertNotNull(c.getStartupProbe(), "migrations at first start need a startup probe");
  }

  private static void assertProbe(Probe probe, String path, Set<String> ports) {
    assertNotNull(probe, path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertTrue(
        ports.contains(probe.getHttpGet().getPort().getStrVal()),
        "probe port not declared: " + path);
  }

  @Test
  @DisplayName(
      "every container runs as non-root with a read-only root and no privilege escalation, with requests")
  void nonRootReadOnly() {
    StatefulSet set = one(StatefulSet.class);
    PodSpec pod = set.getSpec().getTemplate().getSpec();
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(pod.getInitContainers());
    for (Container c : containers) {
      assertEquals(Boolean.TRUE, c.getSecurityContext().getRunAsNonRoot(), c.getName());
      assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName());
      assertEquals(
          Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), c.getName());
      assertTrue(c.getSecurityContext().getCapabilities().getDrop().contains("ALL"), c.getName());
      assertNotNull(c.getResources().getRequests().get("cpu"), c.getName());
      assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
      assertNotNull(c.getResources().getLimits().get("memory"), c.getName());
    }
  }

  @Test
  @DisplayName(
      "the grace period covers the drain: sockets told to reconnect, appends in flight, leaving the cluster")
  void gracePeriod() {
    long grace =
        one(StatefulSet.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    // RunningApp.stop waits up to 5 s for appends in flight; closing Vert.x and Hazelcast takes a
    // few more.
    assertTrue(grace >= 30, "terminationGracePeriodSeconds " + grace);
  }

  @Test
  @DisplayName(
      "Hazelcast finds members through a headless service whose name and port the pods are given")
  void headlessService() {
    StatefulSet set = one(StatefulSet.class);
    Map<String, String> env = env(app(set));
    Service hz =
        all(Service.class).stream()
            .filter(s -> "None".equals(s.getSpec().getClusterIP()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no headless service"));
    assertEquals(set.getSpec().getSelector().getMatchLabels(), hz.getSpec().getSelector());
    assertEquals(hz.getMetadata().getName(), set.getSpec().getServiceName());
    assertEquals("kubernetes", env.get("VP_CLUSTER_JOIN"));
    assertEquals(
        hz.getMetadata().getName() + "." + hz.getMetadata().getNamespace() + ".svc.cluster.local",
        env.get("VP_CLUSTER_K8S_SERVICE_DNS"));
    assertTrue(
        hz.getSpec().getPorts().stream()
            .anyMatch(p -> p.getPort() == Integer.parseInt(env.get("VP_HAZELCAST_PORT"))));
    assertEquals(
        "status.podIP",
        app(set).getEnv().stream()
            .filter(e -> "VP_CLUSTER_HOST".equals(e.getName()))
            .findFirst()
            .orElseThrow()
            .getValueFrom()
            .getFieldRef()
            .getFieldPath());
  }

  @Test
  @DisplayName(
      "every variable is one the service reads, and the values pass the real settings readers")
  void environmentNamesAreRead() {
    Set<String> known = EnvironmentNames.read();
    // Sanity of the derivation itself: names from each reader are present.
    assertTrue(
        known.containsAll(
            List.of(
                "VP_CLUSTER_JOIN",
                "VP_VISITOR_PORT",
                "DATABASE_URL",
                "PGPASSWORD",
                "VP_MIGRATION_PASSWORD",
                "VP_KEYSTORE_PASSPHRASE_FILE")),
        known.toString());
    StatefulSet set = one(StatefulSet.class);
    for (EnvVar e : app(set).getEnv()) {
      assertTrue(known.contains(e.getName()), "the service never reads " + e.getName());
    }
    Map<String, String> env = env(app(set));
    ClusterSettings cluster = ClusterSettings.from(env, false);
    assertTrue(cluster.enabled());
    assertEquals(ClusterSettings.Join.KUBERNETES, cluster.join());
    AppSettings settings = AppSettings.from(env, new String[0]);
    assertFalse(settings.demo(), "production posture");
    assertTrue(settings.externalDb().isPresent(), "an external database, not the embedded one");
    assertEquals("0.0.0.0", settings.visitorHost());
  }

  @Test
  @DisplayName(
      "the key store and its passphrase come from a Secret; the live store is on a shared volume")
  void keyStoreFromSecret() {
    StatefulSet set = one(StatefulSet.class);
    Container c = app(set);
    assertTrue(
        c.getEnv().stream().noneMatch(e -> "VP_KEYSTORE_PASSPHRASE".equals(e.getName())),
        "a passphrase in the environment leaks through /proc/*/environ");
    String file = env(c).get("VP_KEYSTORE_PASSPHRASE_FILE");
    Map<String, Volume> volumes =
        set.getSpec().getTemplate().getSpec().getVolumes().stream()
            .collect(Collectors.toMap(Volume::getName, v -> v));
    var secretMount =
        c.getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("passphrase file not on a mounted volume"));
    String secretName = volumes.get(secretMount.getName()).getSecret().getSecretName();
    Secret secret =
        all(Secret.class).stream()
            .filter(s -> s.getMetadata().getName().equals(secretName))
            .findFirst()
            .orElseThrow();
    assertTrue(
        secret.getData().containsKey(file.substring(secretMount.getMountPath().length() + 1)));
    assertTrue(secret.getData().containsKey("organisations.bcfks"));
    String keysDir = env(c).get("VP_DATA_DIR") + "/keys";
    var keysMount =
        c.getVolumeMounts().stream()
            .filter(m -> keysDir.equals(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume at " + keysDir));
    String claim = volumes.get(keysMount.getName()).getPersistentVolumeClaim().getClaimName();
    PersistentVolumeClaim pvc =
        all(PersistentVolumeClaim.class).stream()
            .filter(p -> p.getMetadata().getName().equals(claim))
            .findFirst()
            .orElseThrow();
    assertTrue(
        pvc.getSpec().getAccessModes().contains("ReadWriteMany"),
        "every replica writes the same store");
  }

  @Test
  @DisplayName(
      "the event bus between the pods runs over TLS from a mounted Secret, and only the service's own pods "
          + "may reach the Hazelcast and event-bus ports")
  void clusterTransport() {
    StatefulSet set = one(StatefulSet.class);
    Container c = app(set);
    Map<String, String> env = env(c);
    ClusterSettings cluster = ClusterSettings.from(env, false);
    // The production start-up check: without event-bus TLS (or the private-network opt-out) the
    // pods would not start.
    cluster.requireSafeFor(AppSettings.from(env, new String[0]).demo());
    assertTrue(cluster.eventBusTls().enabled(), "event-bus TLS, not the plain-text opt-out");
    Map<String, Volume> volumes =
        set.getSpec().getTemplate().getSpec().getVolumes().stream()
            .collect(Collectors.toMap(Volume::getName, v -> v));
    var pem = cluster.eventBusTls().pem().orElseThrow();
    for (Path file : List.of(pem.cert(), pem.key(), pem.ca())) {
      var mount =
          c.getVolumeMounts().stream()
              .filter(m -> file.startsWith(Path.of(m.getMountPath())))
              .findFirst()
              .orElseThrow(() -> new AssertionError(file + " is not on a mounted volume"));
      assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), mount.getName());
      String secretName = volumes.get(mount.getName()).getSecret().getSecretName();
      Secret secret =
          all(Secret.class).stream()
              .filter(s -> s.getMetadata().getName().equals(secretName))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Secret " + secretName));
      assertTrue(
          secret.getData().containsKey(file.getFileName().toString()),
          file + " not in " + secretName);
    }

    GenericKubernetesResource policy =
        all(GenericKubernetesResource.class).stream()
            .filter(r -> "NetworkPolicy".equals(r.getKind()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no NetworkPolicy for the cluster ports"));
    Map<String, String> labels = set.getSpec().getTemplate().getMetadata().getLabels();
    assertEquals(labels, policy.get("spec", "podSelector", "matchLabels"));
    List<Map<String, Object>> rules = policy.get("spec", "ingress");
    Set<Integer> clusterPorts =
        Set.of(
            Integer.parseInt(env.get("VP_HAZELCAST_PORT")),
            Integer.parseInt(env.get("VP_EVENTBUS_PORT")));
    Set<Integer> covered = new java.util.HashSet<>();
    for (Map<String, Object> rule : rules) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ports = (List<Map<String, Object>>) rule.get("ports");
      Set<Integer> numbers =
          ports.stream().map(p -> ((Number) p.get("port")).intValue()).collect(Collectors.toSet());
      if (numbers.stream().noneMatch(clusterPorts::contains)) {
        continue;
      }
      covered.addAll(numbers);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> from = (List<Map<String, Object>>) rule.get("from");
      assertNotNull(from, "a rule opens the cluster ports to everyone");
      for (Map<String, Object> peer : from) {
        assertEquals(
            Set.of("podSelector"),
            peer.keySet(),
            "cluster ports open beyond the service's pods: " + peer);
        assertEquals(Map.of("matchLabels", labels), peer.get("podSelector"));
      }
    }
    assertTrue(covered.containsAll(clusterPorts), "cluster ports without a rule: " + clusterPorts);
  }

  @Test
  @DisplayName("the database example keeps a synchronous standby and archives WAL")
  void databaseExample() {
    GenericKubernetesResource db =
        all(GenericKubernetesResource.class).stream()
            .filter(r -> "Cluster".equals(r.getKind()))
            .findFirst()
            .orElseThrow();
    Map<String, Object> spec = db.get("spec");
    assertTrue(((Number) spec.get("instances")).intValue() >= 2);
    assertTrue(
        ((Number) spec.get("minSyncReplicas")).intValue() >= 1,
        "an async standby loses acked messages");
    assertNotNull(db.get("spec", "backup", "barmanObjectStore", "wal"));
  }

  private static Map<String, String> env(Container c) {
    Map<String, String> out = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        out.put(e.getName(), e.getValue());
      } else if (e.getValueFrom().getFieldRef() != null) {
        out.put(e.getName(), "10.0.0.7");
      } else if ("DATABASE_URL".equals(e.getName())) {
        out.put(e.getName(), "postgresql://vp_app:secret@veilig-praten-db-rw:5432/veiligpraten");
      } else {
        out.put(e.getName(), "from-secret");
      }
    }
    return out;
  }
}
