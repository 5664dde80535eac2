package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.internal.BindingState.Next;
import org.junit.jupiter.api.Test;

/** The binding state machine of a routed connection (rules 4, 6, 7), without JDBC. */
class BindingStateTest {

  private final BindingState state = new BindingState();

  @Test
  void anUnboundConnectionBindsAtItsFirstStatement() {
    assertThat(state.next()).isEqualTo(Next.BIND);
    state.readOnly(true);
    state.bound(true);
    assertThat(state.next()).isEqualTo(Next.USE);
  }

  @Test
  void aReadOnlyChangeWithAutoCommitOn_reBindsAtTheNextStatement() {
    state.readOnly(true);
    state.bound(true);
    state.statementOpened();
    state.executed(false, null);
    state.statementClosed();
    state.readOnly(false);
    assertThat(state.next()).isEqualTo(Next.REBIND);
  }

  @Test
  void aReadOnlyChangeRightAfterCommitOrRollback_reBinds() {
    state.autoCommit(false);
    state.readOnly(true);
    state.bound(true);
    state.executed(false, null);
    state.readOnly(false);
    assertThat(state.next()).as("inside the transaction").isEqualTo(Next.REFUSE);
    state.committed();
    assertThat(state.next()).as("after commit").isEqualTo(Next.REBIND);
    state.bound(false);
    state.executed(true, null);
    state.readOnly(true);
    assertThat(state.next()).as("inside the writing transaction, a read stays").isEqualTo(Next.USE);
    state.rolledBack();
    assertThat(state.next()).as("after rollback").isEqualTo(Next.REBIND);
  }

  @Test
  void anOpenStatementOrSessionState_keepsTheConnectionWhereItIs() {
    state.readOnly(true);
    state.bound(true);
    state.statementOpened();
    state.executed(false, null);
    state.readOnly(false);
    assertThat(state.next()).isEqualTo(Next.REFUSE);
    assertThat(state.pinnedBy()).isEqualTo("1 statement(s) created before are still open");
    state.statementClosed();
    assertThat(state.next()).isEqualTo(Next.REBIND);

    BindingState primary = new BindingState();
    primary.bound(false);
    primary.executed(true, "a temporary table");
    primary.executed(true, "a session SET");
    primary.readOnly(true);
    assertThat(primary.next()).as("a read stays on the primary that holds the temp table").isEqualTo(Next.USE);
    assertThat(primary.pinnedBy()).isEqualTo("a temporary table");
  }

  @Test
  void aStatementsSessionStateIsFoundFromItsText_theFirstReasonIsKept_evenWhenTheScanIsDeferred() {
    BindingState primary = new BindingState();
    primary.bound(false);
    assertThat(primary.executedText(true, "UPDATE items SET n = 1")).as("auto-commit write").isTrue();
    assertThat(primary.executedText(true, "CREATE TEMP TABLE scratch (id int)")).isTrue();
    assertThat(primary.executedText(true, "SET search_path TO other")).isTrue();
    assertThat(primary.executedText(true, "DELETE FROM items")).isTrue();
    primary.readOnly(true);
    assertThat(primary.next()).as("a read stays on the primary that holds the temp table").isEqualTo(Next.USE);
    assertThat(primary.pinnedBy()).isEqualTo("a temporary table");

    BindingState last = new BindingState();
    last.bound(false);
    last.executedText(true, "INSERT INTO items (n) VALUES (1)");
    last.executedText(true, "SELECT set_config('app.user', 'x', false)"); // the newest text, not yet scanned
    last.readOnly(true);
    assertThat(last.next()).isEqualTo(Next.USE);
    assertThat(last.pinnedBy()).isEqualTo("set_config");
    assertThat(last.toString()).isEqualTo("bound to a primary, read-only, holds set_config");

    BindingState clean = new BindingState();
    clean.bound(false);
    clean.executedText(true, "UPDATE items SET n = 1");
    clean.readOnly(true);
    assertThat(clean.next()).as("nothing holds it: the read moves to a replica").isEqualTo(Next.REBIND);
  }

  @Test
  void anUnwrappedConnectionNeverMoves_andCountsAsAWriteAtClose() {
    state.bound(false);
    state.unwrapped();
    state.readOnly(true);
    assertThat(state.next()).isEqualTo(Next.USE);
    assertThat(state.pinnedBy()).isEqualTo("the driver's connection was unwrapped");
    assertThat(state.closing()).isTrue();
  }

  @Test
  void anUnwrappedConnectionCountsAsAWriteAtEveryCommit_andAtClose_whateverTheAutoCommitMode() {
    state.bound(false);
    state.autoCommit(false);
    state.unwrapped();
    assertThat(state.committed()).as("first transaction").isTrue();
    assertThat(state.committed()).as("the driver's connection is still in the caller's hands").isTrue();
    assertThat(state.closing()).as("it may have committed there, auto-commit off here").isTrue();
  }

  @Test
  void anUnwrapWhileReadOnly_countsOnceTheConnectionIsWritable() {
    state.readOnly(true);
    state.bound(false);
    state.unwrapped();
    assertThat(state.closing()).as("read-only on a primary: a read").isFalse();
    state.readOnly(false);
    assertThat(state.closing()).isTrue();
  }

  @Test
  void anAutoCommitWriteIsRecordedWhenItReturns_aPlainSelectIsNot_andNothingOnAReplica() {
    state.bound(false);
    assertThat(state.executed(false, null)).as("plain select").isFalse();
    assertThat(state.executed(true, null)).as("write").isTrue();
    BindingState replica = new BindingState();
    replica.readOnly(true);
    replica.bound(true);
    assertThat(replica.executed(true, null)).isFalse();
  }

  @Test
  void aTransactionsWriteIsRecordedAtCommit_orWhenAutoCommitIsSwitchedBackOn_neverAtRollback() {
    state.autoCommit(false);
    state.bound(false);
    assertThat(state.executed(true, null)).isFalse();
    assertThat(state.committed()).isTrue();
    assertThat(state.committed()).as("a second commit has nothing to record").isFalse();
    state.executed(true, null);
    state.rolledBack();
    assertThat(state.committed()).isFalse();
    state.executed(true, null);
    assertThat(state.autoCommit(true)).as("auto-commit on commits").isTrue();
    state.autoCommit(false);
    state.executed(false, null);
    assertThat(state.committed()).as("a read-only transaction").isFalse();
  }

  @Test
  void onlyTheFirstStatementSinceAReplicaWasBound_isRetryable() {
    state.readOnly(true);
    state.bound(true);
    state.statementOpened();
    assertThat(state.firstStatementRetryable()).isTrue();
    state.statementOpened();
    assertThat(state.firstStatementRetryable()).as("two statements open").isFalse();
    state.statementClosed();
    state.executed(false, null);
    assertThat(state.firstStatementRetryable()).as("a result may have reached the caller").isFalse();
    BindingState primary = new BindingState();
    primary.bound(false);
    assertThat(primary.firstStatementRetryable()).as("on a primary").isFalse();
  }
}
