package io.github.regionrouter;

import java.sql.SQLTransientException;

/**
 * A subject's write was refused because its data is being moved to another region (or has just been): the
 * statement never ran, nothing was written. Transient: retry the request — once the move has finished, the
 * region directory routes the subject to its new region. SQLState {@code 55P03} (lock_not_available), which
 * frameworks such as Spring already treat as a retryable, pessimistic-locking failure.
 */
public final class SubjectFencedException extends SQLTransientException {

  private static final long serialVersionUID = 1L;

  /** The SQLState of every fenced write: PostgreSQL's {@code lock_not_available}. */
  public static final String SQL_STATE = "55P03";

  private final String subject;
  private final String region;
  private final String movingTo;

  /**
   * @param subject  the subject whose write was refused
   * @param region   the region the write was headed for
   * @param movingTo the region the subject's data is moving or moved to
   * @param message  the whole story: what, where, and what to do
   */
  public SubjectFencedException(String subject, String region, String movingTo, String message) {
    super(message, SQL_STATE);
    this.subject = subject;
    this.region = region;
    this.movingTo = movingTo;
  }

  /** The subject whose write was refused. */
  public String subject() {
    return subject;
  }

  /** The region the write was headed for (the subject's old region). */
  public String region() {
    return region;
  }

  /** The region the subject's data is moving, or moved, to. */
  public String movingTo() {
    return movingTo;
  }
}
