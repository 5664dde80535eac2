package io.github.regionrouter.internal;

/**
 * The binding state machine of one {@link RoutedConnection} (rules 4, 6 and 7), kept apart from the JDBC
 * delegation so that every transition is a plain method call with a unit test.
 *
 * <p>States: <em>unbound</em> (nothing borrowed), <em>bound</em> to a node chosen for the read-only mode the
 * caller had asked for at that moment. A bound connection is at a <em>transaction boundary</em> when
 * auto-commit is on, or auto-commit is off and no statement ran since the last {@code commit()}/
 * {@code rollback()}. At a boundary, a connection whose read-only mode no longer matches its binding
 * <em>re-binds</em> at its next statement (the physical connection goes back to its pool), unless it holds
 * something that cannot follow it to another node:
 * <ul>
 *   <li>a statement created on it that is still open (it belongs to the old physical connection);</li>
 *   <li>session state set by a statement: a session {@code SET}/{@code set_config}, a temporary table, a
 *       session advisory lock, {@code LISTEN}, {@code PREPARE}, a cursor {@code WITH HOLD} (see
 *       {@link SqlShape#sessionState(String)});</li>
 *   <li>a caller that unwrapped the driver's connection (it may hold anything).</li>
 * </ul>
 * Such a connection stays where it is: a read then runs on its primary, and a write asked of a replica-bound
 * one fails with {@code ReplicaWriteException}, as inside an open transaction. State no statement reveals
 * (pgjdbc's server-side prepared statements are per physical connection and re-prepared transparently) needs
 * no care.
 *
 * <p>Writes are recorded when they commit: an auto-commit statement that may write, as soon as it returned;
 * a transaction that ran one, at {@code commit()} or when auto-commit is switched back on. A transaction
 * rolled back (or left open at close, which the pool rolls back) records nothing.
 *
 * <p>Not thread-safe, like the connection that owns it.
 */
class BindingState {

  /** What the next statement must do first. */
  enum Next {
    /** Nothing is borrowed yet: bind. */
    BIND,
    /** Run on the bound node. */
    USE,
    /** At a boundary with a mode the binding does not fit: give the connection back and bind anew. */
    REBIND,
    /** A write asked of a replica-bound connection that cannot move: fail with {@code ReplicaWriteException}. */
    REFUSE
  }

  private boolean readOnly;
  private boolean autoCommit = true;

  private boolean bound;
  private boolean boundReadOnly;
  private boolean boundToReplica;
  private int executedSinceBind;
  private int openStatements;

  private boolean txOpen;
  private boolean txWrote;
  private boolean unseenWrite;
  /** Why the physical connection cannot be swapped, or null; read through {@link #sessionState()}. */
  private String sessionState;
  /**
   * The text of the newest statement that may have left session state, not scanned yet: it is scanned when a
   * decision needs the answer, or when the next such statement runs. JMH: the scan was a third of a routed
   * write's CPU, and the last statement of a connection usually meets no decision before the connection closes.
   */
  private String unscanned;

  /** The caller's read-only mode. */
  boolean readOnly() {
    return readOnly;
  }

  /** Records the caller's read-only mode; it takes effect at the next statement (see {@link #next()}). */
  void readOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  boolean autoCommit() {
    return autoCommit;
  }

  /**
   * Records an auto-commit change. Switching it on commits an open transaction.
   *
   * @return true when that commit ended a transaction that may have written: record the write
   */
  boolean autoCommit(boolean on) {
    boolean commitsWrite = on && !autoCommit && txOpen && (txWrote || unseenWrite);
    if (on && !autoCommit) {
      endTransaction();
    }
    autoCommit = on;
    return commitsWrite;
  }

  /** A physical connection was bound, chosen for the current mode; {@code replica} when a replica serves it. */
  void bound(boolean replica) {
    bound = true;
    boundReadOnly = readOnly;
    boundToReplica = replica;
    executedSinceBind = 0;
    openStatements = 0;
  }

  /** The physical connection went back to its pool. */
  void unbound() {
    bound = false;
    boundToReplica = false;
    openStatements = 0;
  }

  boolean boundToReplica() {
    return bound && boundToReplica;
  }

  /** No transaction is open: auto-commit, or nothing ran since the last commit or rollback. */
  boolean atBoundary() {
    return autoCommit || !txOpen;
  }

  /** Why the connection cannot move to another node, or null when it can. */
  String pinnedBy() {
    String held = sessionState();
    if (held != null) {
      return held;
    }
    return openStatements > 0 ? openStatements + " statement(s) created before are still open" : null;
  }

  /** Decides what the next statement must do (rule 6). */
  Next next() {
    if (!bound) {
      return Next.BIND;
    }
    if (boundReadOnly == readOnly) {
      return Next.USE;
    }
    if (atBoundary() && pinnedBy() == null) {
      return Next.REBIND;
    }
    return !readOnly && boundToReplica ? Next.REFUSE : Next.USE;
  }

  /** Whether a write may happen here now: writable mode on a node that is not a replica. */
  boolean writable() {
    return bound && !readOnly && !boundToReplica;
  }

  void statementOpened() {
    openStatements++;
  }

  void statementClosed() {
    if (openStatements > 0) {
      openStatements--;
    }
  }

  /**
   * Whether a failure of the statement about to run may be retried on another node (rule 7, issue 13): it
   * is the first to run since a replica was bound, so no result has reached the caller and no transaction
   * state is lost, and it is the only statement created there.
   */
  boolean firstStatementRetryable() {
    return bound && boundToReplica && executedSinceBind == 0 && openStatements <= 1
        && sessionState() == null;
  }

  /**
   * A statement ran (or failed in a way that may have committed it).
   *
   * @param mayWrite      it is not a plain select
   * @param leavesSession why it leaves session state behind, or null
   * @return true when it committed a possible write right away (auto-commit): record the write now
   */
  boolean executed(boolean mayWrite, String leavesSession) {
    executedSinceBind++;
    if (leavesSession != null && sessionState == null) {
      sessionState = leavesSession;
    }
    boolean write = mayWrite && writable();
    if (autoCommit) {
      return write;
    }
    txOpen = true;
    txWrote |= write;
    return false;
  }

  /**
   * A statement that is not a plain select ran: like {@link #executed(boolean, String)} with the session state
   * {@link SqlShape#sessionState(String)} finds in {@code sql}, but the scan waits until an answer is needed.
   *
   * @return true when it committed a possible write right away (auto-commit): record the write now
   */
  boolean executedText(boolean mayWrite, String sql) {
    if (sessionState() == null) { // scans the previous text first: the first statement's reason is kept
      unscanned = sql;
    }
    return executed(mayWrite, null);
  }

  /** Why the physical connection cannot be swapped, scanning a pending statement text first; or null. */
  private String sessionState() {
    String text = unscanned;
    if (text != null) {
      unscanned = null;
      if (sessionState == null) {
        sessionState = SqlShape.sessionState(text);
      }
    }
    return sessionState;
  }

  /**
   * The caller unwrapped the driver's connection: it may do anything there, unseen. It can no longer move,
   * and on a writable primary it counts as a write at its next commit or close.
   */
  void unwrapped() {
    if (sessionState() == null) {
      sessionState = "the driver's connection was unwrapped";
    }
    unseenWrite |= writable();
  }

  /**
   * {@code commit()} succeeded (or failed with an unknown outcome).
   *
   * @return true when the transaction may have written: record the write
   */
  boolean committed() {
    boolean wrote = txWrote || unseenWrite;
    endTransaction();
    return wrote;
  }

  /** {@code rollback()} ran: nothing of the transaction counts. */
  void rolledBack() {
    endTransaction();
  }

  /**
   * The connection closes.
   *
   * @return true when work done through an unwrapped connection may have written and was not yet recorded
   */
  boolean closing() {
    boolean unseen = unseenWrite && autoCommit;
    unseenWrite = false;
    return unseen;
  }

  private void endTransaction() {
    txOpen = false;
    txWrote = false;
    if (!autoCommit) {
      unseenWrite = false;
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  /** The state in words, for diagnostics. */
  final String describe() {
    return (bound ? (boundToReplica ? "bound to a replica" : "bound to a primary") : "unbound")
        + (readOnly ? ", read-only" : "") + (autoCommit ? "" : txOpen ? ", in a transaction" : ", at a boundary")
        + (sessionState() == null ? "" : ", holds " + sessionState);
  }
}
