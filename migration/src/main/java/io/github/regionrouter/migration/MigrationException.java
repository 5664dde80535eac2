package io.github.regionrouter.migration;

/** A migration stopped; the message says where and what to do. Subtypes say why. */
public class MigrationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what, where, and what to do */
  public MigrationException(String message) {
    super(message);
  }

  /**
   * @param message what, where, and what to do
   * @param cause   the underlying failure
   */
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
