package io.github.regionrouter;

import java.sql.SQLTransientConnectionException;
import java.util.List;

/**
 * The region cannot take writes (or serve reads) right now: its primary is down, demoted, or there are two
 * writable nodes (split brain). Routing rule 2: nothing was written anywhere else. SQLState {@code 08001};
 * transient: retry after the region has recovered or failed over.
 */
public final class RegionUnavailableException extends SQLTransientConnectionException {

  private static final long serialVersionUID = 1L;

  /** Why the region is unavailable; also the {@code reason} tag of {@code regionrouter.refusals}. */
  public enum Reason {
    /** No up node of the region accepts writes. */
    NO_PRIMARY("no-primary"),
    /** More than one up node of the region accepts writes. */
    SPLIT_BRAIN("split-brain"),
    /** Neither a replica nor the primary could hand out a connection for a read. */
    NO_NODE("no-node");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    /** The metrics tag value. */
    public String tag() {
      return tag;
    }
  }

  private final String region;
  private final Reason reason;
  private final List<String> nodes;

  /**
   * @param region  the region
   * @param reason  why
   * @param nodes   the nodes involved (the writable ones on split brain, the region's nodes otherwise)
   * @param message the whole story: what, where, and what to do
   * @param cause   the underlying failure, or {@code null}
   */
  public RegionUnavailableException(String region, Reason reason, List<String> nodes, String message,
      Throwable cause) {
    super(message, "08001", cause);
    this.region = region;
    this.reason = reason;
    this.nodes = List.copyOf(nodes);
  }

  /** The region that is unavailable. */
  public String region() {
    return region;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** The nodes involved. */
  public List<String> nodes() {
    return nodes;
  }
}
