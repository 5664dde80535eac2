package io.github.regionrouter;

import java.sql.SQLException;

/**
 * A connection already bound to a replica was asked to write ({@code setReadOnly(false)} after its first
 * use). It is refused instead of silently writing elsewhere (routing rule 6). SQLState {@code 25006}
 * ({@code read_only_sql_transaction}): decide read-only before the first statement, or use a new
 * connection for the write.
 */
public final class ReplicaWriteException extends SQLException {

  private static final long serialVersionUID = 1L;

  /** @param message what was asked, of which node and region */
  public ReplicaWriteException(String message) {
    super(message, "25006");
  }
}
