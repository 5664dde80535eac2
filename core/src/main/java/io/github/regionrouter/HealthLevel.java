package io.github.regionrouter;

/**
 * The three health levels of the seed's deploy gate, answered by {@link RegionRoutingDataSource#health}.
 *
 * <table>
 *   <caption>What each level means</caption>
 *   <tr><th>level</th><th>UP when</th><th>a deploy pipeline</th></tr>
 *   <tr><td>{@link #BASIC}</td><td>the data source is open</td><td>rolls back at once when DOWN</td></tr>
 *   <tr><td>{@link #DB}</td><td>every region has exactly one up primary, and no up replica has been over
 *       {@code maxReplicaLag} for longer than {@code lagGrace}</td><td>pauses the rollout and alerts</td></tr>
 *   <tr><td>{@link #FULL}</td><td>at most {@code fullMaxFailing} nodes are failing (down or quarantined)</td>
 *       <td>rolls back when more fail</td></tr>
 * </table>
 */
public enum HealthLevel {
  /** Liveness: UP while the data source is open. */
  BASIC,
  /** The deploy gate: one up primary per region, and no replica over the lag bound for longer than the grace. */
  DB,
  /** Every dependency: UP while at most {@code fullMaxFailing} nodes are down or quarantined. */
  FULL;

  /** The level's name as used in paths and JSON: {@code basic}, {@code db}, {@code full}. */
  public String path() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
