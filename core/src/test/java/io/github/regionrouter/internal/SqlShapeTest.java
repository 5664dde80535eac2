package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements count as plain reads (rule 4, issue 10) and which leave session state (rule 6). */
class SqlShapeTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "select o1_0.id,o1_0.first_name,o1_0.last_name from owners o1_0 where o1_0.last_name like ? escape '\\'",
      "select count(o1_0.id) from owners o1_0 where lower(o1_0.city)=lower(?)",
      "  /* comment */ SELECT name FROM profile WHERE id = 42",
      "-- hello\nselect * from t where note = 'for update; delete'",
      "(select a from t) union (select b from u)",
      "WITH recent AS (SELECT * FROM items WHERE n > 0) SELECT count(*) FROM recent",
      "select p.* from pets p join owners o on o.id = p.owner_id order by p.name desc limit 10",
      "SELECT current_setting('port')::int",
      "select a.\"update\" from t a;",
  })
  void plainSelects(String sql) {
    assertThat(SqlShape.isPlainSelect(sql)).as(sql).isTrue();
    assertThat(SqlShape.sessionState(sql)).as(sql).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM items WHERE id = 1 FOR UPDATE",
      "select * from items for share",
      "select * from items for no key update",
      "SELECT nextval('items_id_seq')",
      "select my_function(1)",
      "select public.audit_log('x')",
      "WITH moved AS (DELETE FROM items RETURNING *) SELECT count(*) FROM moved",
      "WITH x AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM x",
      "SELECT * INTO backup FROM items",
      "select 1; delete from items",
      "select $$ anything $$",
      "INSERT INTO items (n) VALUES (1)",
      "UPDATE items SET n = 2",
      "select pg_advisory_lock(1)",
      "select 'unterminated",
      "CALL do_it()",
      "",
  })
  void everythingElseCountsAsAWrite(String sql) {
    assertThat(SqlShape.isPlainSelect(sql)).as(sql).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SET search_path TO other",
      "set statement_timeout = 1000",
      "RESET ALL",
      "CREATE TEMP TABLE scratch (id int)",
      "create temporary table scratch (id int)",
      "SELECT pg_advisory_lock(42)",
      "select pg_try_advisory_lock(42)",
      "LISTEN orders",
      "PREPARE q AS SELECT 1",
      "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
      "SELECT set_config('app.user', 'x', false)",
      // the scan's first-character filter must keep every case-folding match regionMatches(true, …) makes
      "UPDATE items SET n = 1 WHERE PG_TRY_ADVISORY_LOCK_SHARED(7)",
      "select Pg_Advisory_Lock_Shared(7)",
      "CREATE GLOBAL TEMP TABLE scratch (id int)",
      "SELECT \u017Fet_config('app.user', 'x', false)", // long s: upper-cases to S
  })
  void sessionStateThatCannotFollowARebind(String sql) {
    assertThat(SqlShape.sessionState(sql)).as(sql).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SET LOCAL statement_timeout = 1000",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "SELECT pg_advisory_xact_lock(42)",
      "INSERT INTO items (n) VALUES (1)",
      "CREATE TABLE permanent (id int)",
  })
  void transactionScopedStateDoesNotPinTheConnection(String sql) {
    assertThat(SqlShape.sessionState(sql)).as(sql).isNull();
  }

  /** Words are matched without cutting them out of the text (issue 13): case folding must still hold. */
  @ParameterizedTest
  @ValueSource(strings = {
      "SeLeCt CoUnT(*) FrOm t WhErE a In (1, 2) AnD LoWeR(b) LiKe 'x%'",
      "VALUES (1)",
      "Table t",
      "WITH x AS (SELECT 1) SELECT * FROM x",
  })
  void plainSelectsInAnyCase_arePlain(String sql) {
    assertThat(SqlShape.isPlainSelect(sql)).as(sql).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select * from t For Update",
      "SELECT * FROM t FOR /* c */ SHARE",
      "SELECT * FROM t FOR no KEY UPDATE",
      "SELECT NextVal('s')",
      "SELECT * FROM t WHERE a = Public.f(1)",
      "SELECT 1; DeLeTe FROM t",
      "with d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
      "SELECT İn(1)", // not the keyword IN to PostgreSQL (it folds ASCII letters only): a function call
  })
  void writesAndLocksInAnyCase_areNotPlain(String sql) {
    assertThat(SqlShape.isPlainSelect(sql)).as(sql).isFalse();
  }
}
