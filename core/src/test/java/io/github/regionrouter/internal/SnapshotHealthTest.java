package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.HealthLevel;
import io.github.regionrouter.NodeRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three health levels on hand-made snapshots, with the clock passed in: no sleeping to test the grace. */
class SnapshotHealthTest {

  private static final long MS = 1_000_000L;
  private static final long MAX_LAG = 500 * MS;
  private static final String[] REGIONS = {"eu", "us"};
  private static final HealthSettings SETTINGS = new HealthSettings(Duration.ofSeconds(60), 2);

  // 0 eu-primary, 1 eu-replica, 2 us-primary, 3 us-replica
  private final Node[] nodes = {
      node(0, "eu-primary", "eu", 0, NodeRole.PRIMARY),
      node(1, "eu-replica", "eu", 0, NodeRole.REPLICA),
      node(2, "us-primary", "us", 1, NodeRole.PRIMARY),
      node(3, "us-replica", "us", 1, NodeRole.REPLICA),
  };

  private static Node node(int index, String name, String region, int regionIndex, NodeRole role) {
    return new Node(index, new NodeConfig(name, region, "fra", role, null, null), regionIndex, null, null, null);
  }

  private static NodeState primary() {
    return new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 1000, false, null, false);
  }

  private static NodeState replica() {
    return new NodeState(true, NodeRole.REPLICA, 2 * MS, 10, MS, 1000, true, null, false);
  }

  private static NodeState lagging(long sinceNanos) {
    return new NodeState(true, NodeRole.REPLICA, 900 * MS, 4096, MS, 900, false, "lagging 900ms", false, true,
        sinceNanos);
  }

  private static NodeState down(NodeRole role) {
    return new NodeState(false, role, -1, -1, -1, 0, false, "down: connection refused", false);
  }

  private TopologySnapshot snapshot(NodeState... states) {
    return new TopologySnapshot(0, nodes, states, 2);
  }

  private static SnapshotHealth health(HealthLevel level, TopologySnapshot s, long now) {
    return SnapshotHealth.evaluate(level, s, REGIONS, true, now, MAX_LAG, SETTINGS);
  }

  @Test
  void everyLevelIsUp_whenEveryRegionHasItsPrimaryAndNoReplicaLags() {
    TopologySnapshot s = snapshot(primary(), replica(), primary(), replica());
    for (HealthLevel level : HealthLevel.values()) {
      SnapshotHealth h = health(level, s, 0);
      assertThat(h.isUp()).as(level.path()).isTrue();
      assertThat(h.problems()).isEmpty();
      assertThat(h.failingNodes()).isZero();
    }
  }

  @Test
  void dbIsDown_whenARegionHasNoUpPrimary_namingTheRegionAndItsNodes() {
    TopologySnapshot s = snapshot(down(NodeRole.PRIMARY), replica(), primary(), replica());
    SnapshotHealth db = health(HealthLevel.DB, s, 0);
    assertThat(db.isUp()).isFalse();
    assertThat(db.problems()).containsExactly("region 'eu' has no up primary (eu-primary down, eu-replica up as "
        + "replica); its writes fail until a primary is back or a replica is promoted");
    assertThat(health(HealthLevel.BASIC, s, 0).isUp()).isTrue();
    assertThat(health(HealthLevel.FULL, s, 0).isUp()).as("one failing node of at most 2").isTrue();
  }

  @Test
  void dbIsDown_onSplitBrain() {
    TopologySnapshot s = snapshot(primary(), new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 900, false, null,
        false), primary(), replica());
    assertThat(health(HealthLevel.DB, s, 0).problems()).singleElement().asString()
        .startsWith("region 'eu' has no single primary: 2 nodes accept writes (split brain): eu-primary, eu-replica");
  }

  @Test
  void dbStaysUp_whileAReplicaLagsWithinTheGrace_andGoesDownOnceTheLagOutlastsIt() {
    long since = 1_000 * MS;
    TopologySnapshot s = snapshot(primary(), lagging(since), primary(), replica());
    assertThat(health(HealthLevel.DB, s, since + 60_000 * MS).isUp()).as("exactly the grace").isTrue();
    SnapshotHealth db = health(HealthLevel.DB, s, since + 61_000 * MS);
    assertThat(db.isUp()).isFalse();
    assertThat(db.problems()).containsExactly("replica 'eu-replica' of region 'eu' has been over maxReplicaLag 500ms "
        + "for 61000ms (lagGrace 60000ms); lag now 900ms, 4096 bytes");
  }

  @Test
  void aDownReplicaIsNotLagForDb_butFailingForFull() {
    TopologySnapshot s = snapshot(primary(), down(NodeRole.REPLICA), primary(), replica());
    assertThat(health(HealthLevel.DB, s, 0).isUp()).isTrue();
    assertThat(health(HealthLevel.FULL, s, 0).failingNodes()).isEqualTo(1);
  }

  @Test
  void fullIsDown_whenMoreThanFullMaxFailingNodesAreDownOrQuarantined() {
    NodeState quarantined = new NodeState(true, NodeRole.PRIMARY, 0, 0, MS, 1, false, "quarantined: system "
        + "identifier 1 is not region 'us''s 2", true);
    TopologySnapshot s = snapshot(primary(), down(NodeRole.REPLICA), quarantined, down(NodeRole.REPLICA));
    SnapshotHealth full = health(HealthLevel.FULL, s, 0);
    assertThat(full.isUp()).isFalse();
    assertThat(full.failingNodes()).isEqualTo(3);
    assertThat(full.problems()).containsExactly("3 nodes failing, more than fullMaxFailing 2: eu-replica (down: "
        + "connection refused); us-primary (quarantined: system identifier 1 is not region 'us''s 2); us-replica "
        + "(down: connection refused)");
  }

  @Test
  void everyLevelIsDown_whenTheDataSourceIsClosed() {
    TopologySnapshot s = snapshot(primary(), replica(), primary(), replica());
    for (HealthLevel level : HealthLevel.values()) {
      SnapshotHealth h = SnapshotHealth.evaluate(level, s, REGIONS, false, 0, MAX_LAG, SETTINGS);
      assertThat(h.isUp()).isFalse();
      assertThat(h.problems()).isEqualTo(List.of("the region-router data source is closed"));
    }
  }

  @Test
  void json_carriesStatusWriteTargetsAndEveryNode_butNoUrlOrPassword() {
    NodeState leaky = new NodeState(false, NodeRole.REPLICA, -1, -1, -1, 0, false,
        "down: FATAL at jdbc:postgresql://h:5432/app?password=hunter2 (password=hunter2)", false);
    TopologySnapshot s = snapshot(down(NodeRole.PRIMARY), replica(), primary(), leaky);
    String json = health(HealthLevel.DB, s, 0).toJson();
    assertThat(json).startsWith("{\"status\":\"DOWN\",\"level\":\"db\",\"problems\":[\"region 'eu' has no up primary")
        .contains("\"writeTargets\":{\"eu\":null,\"us\":\"us-primary\"}")
        .contains("{\"name\":\"eu-replica\",\"region\":\"eu\",\"location\":\"fra\",\"role\":\"replica\","
            + "\"configuredRole\":\"replica\",\"up\":true,\"writeTarget\":false,\"readEligible\":true,\"lagMs\":2,"
            + "\"lagBytes\":10,\"rttMs\":1,\"excluded\":null}")
        .contains("\"excluded\":\"down: FATAL at jdbc:postgresql://h:5432/app (password=***)\"")
        .doesNotContain("hunter2");
  }

  @Test
  void millisKeepMicrosecondsOfALoopbackRoundTrip() {
    assertThat(HealthJson.millis(Duration.ofNanos(412_345))).isEqualTo("0.412");
    assertThat(HealthJson.millis(Duration.ofMillis(40))).isEqualTo("40");
    assertThat(HealthJson.millis(Duration.ofNanos(1_500_000))).isEqualTo("1.5");
    assertThat(HealthJson.millis(null)).isEqualTo("null");
  }
}
