package io.github.regionrouter.internal;


/**
 * What the router needs to know of a statement's text, found by one cheap left-to-right scan (no parser):
 * whether it is a plain {@code SELECT} that cannot write, and whether it leaves session state behind that
 * would not follow the connection to another node.
 *
 * <p>"Plain" is decided conservatively, because a statement wrongly taken for a read would let its subject
 * read a replica that has not replayed the write: anything but {@code SELECT}/{@code WITH}/{@code VALUES}/
 * {@code TABLE} at the start, a locking clause ({@code FOR UPDATE/SHARE/NO KEY UPDATE/KEY SHARE}),
 * {@code SELECT … INTO}, a data-modifying keyword anywhere (CTEs with DML), a second statement after a
 * {@code ;}, a dollar-quoted body, or a call of any function not on a short list of built-ins that cannot
 * write ({@code nextval}, {@code setval}, {@code pg_advisory_lock}, {@code set_config} and every user function
 * may write) makes it a write. Hibernate's and Spring Data's generated queries ({@code select o1_0.id,… from
 * owners o1_0 where o1_0.last_name like ? escape '\'}, {@code count(…)}, {@code lower(…)}) are plain.
 * Stateless and thread-safe.
 */
final class SqlShape {

  /** Words that may precede {@code (} in a plain select: keywords and built-ins that never write. */
  private static final Words SAFE_BEFORE_PAREN = new Words(
      // keywords
      "select", "from", "where", "and", "or", "not", "in", "exists", "any", "all", "some", "as", "on", "using",
      "join", "values", "over", "filter", "within", "group", "by", "order", "having", "union", "intersect",
      "except", "case", "when", "then", "else", "between", "like", "ilike", "similar", "is", "escape", "limit",
      "offset", "fetch", "lateral", "distinct", "array", "row", "with", "recursive", "materialized", "cast",
      "extract", "position", "substring", "trim", "overlay", "partition", "rows", "range", "desc", "asc",
      // aggregates and scalar built-ins without side effects
      "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg", "array_agg", "json_agg",
      "jsonb_agg", "coalesce", "nullif", "greatest", "least", "lower", "upper", "length", "char_length",
      "character_length", "octet_length", "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "power",
      "sqrt", "concat", "concat_ws", "replace", "left", "right", "lpad", "rpad", "ltrim", "rtrim", "btrim",
      "strpos", "split_part", "to_char", "to_date", "to_timestamp", "to_number", "date_trunc", "date_part",
      "age", "now", "current_date", "current_timestamp", "localtimestamp", "row_number", "rank", "dense_rank",
      "lag", "lead", "first_value", "last_value", "unnest", "generate_series", "array_length", "cardinality",
      "jsonb_extract_path_text", "json_extract_path_text", "current_setting", "md5", "random", "numeric",
      "varchar", "char", "decimal", "timestamp", "time", "interval", "bit", "float", "double");

  private static final Words WRITING_WORDS = new Words(
      "insert", "update", "delete", "merge", "into", "truncate", "copy", "call", "do", "lock", "notify");

  private SqlShape() {
  }

  /**
   * Whether {@code sql[from, to)} is {@code word} (lower-case ASCII), ignoring ASCII case only. PostgreSQL folds
   * only ASCII letters of unquoted words, so a word with any other letter is no keyword to it either.
   */
  private static boolean isWord(String sql, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (lowerAscii(sql.charAt(i)) != word.charAt(i - from)) {
        return false;
      }
    }
    return true;
  }

  /** Character classes of ASCII, taken from {@link Character}'s own answers: the same results, without its lookups. */
  private static final byte[] ASCII = new byte[128];
  private static final byte LETTER = 1;
  private static final byte DIGIT = 2;
  private static final byte SPACE = 4;

  static {
    for (char c = 0; c < 128; c++) {
      ASCII[c] = (byte) ((Character.isLetter(c) ? LETTER : 0) | (Character.isDigit(c) ? DIGIT : 0)
          | (Character.isWhitespace(c) ? SPACE : 0));
    }
  }

  private static boolean letter(char c) {
    return c < 128 ? (ASCII[c] & LETTER) != 0 : Character.isLetter(c);
  }

  private static boolean letterOrDigit(char c) {
    return c < 128 ? (ASCII[c] & (LETTER | DIGIT)) != 0 : Character.isLetterOrDigit(c);
  }

  private static boolean space(char c) {
    return c < 128 ? (ASCII[c] & SPACE) != 0 : Character.isWhitespace(c);
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /**
   * A fixed set of lower-case ASCII words, looked up by a range of the statement's text without cutting it out:
   * JMH (issue 13) measured a substring and a lower-case copy per word of every query, ~430 B for a short
   * select.
   * Open addressing over a table at most a quarter full. Immutable.
   */
  private static final class Words {
    private final String[] table;
    private final int mask;
    /** Bit n set when a word has n characters: most words of a statement are ruled out by length alone. */
    private final long lengths;

    Words(String... words) {
      int size = Integer.highestOneBit(Math.max(4, words.length * 4) - 1) << 1;
      table = new String[size];
      mask = size - 1;
      long lengths = 0;
      for (String w : words) {
        lengths |= 1L << Math.min(w.length(), 63);
        int slot = w.hashCode() & mask;
        while (table[slot] != null) {
          slot = (slot + 1) & mask;
        }
        table[slot] = w;
      }
      this.lengths = lengths;
    }

    /** Whether {@code sql[from, to)}, ASCII letters folded to lower case, is one of the words. */
    boolean contains(String sql, int from, int to) {
      if ((lengths & (1L << Math.min(to - from, 63))) == 0) {
        return false;
      }
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + lowerAscii(sql.charAt(i)); // String.hashCode of the folded word
      }
      for (int slot = h & mask; table[slot] != null; slot = (slot + 1) & mask) {
        if (isWord(sql, from, to, table[slot])) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Returns whether {@code sql} is a single plain read: it cannot write, lock rows or change the session.
   * When in doubt, false.
   */
  static boolean isPlainSelect(String sql) {
    if (sql == null) {
      return false;
    }
    int n = sql.length();
    int i = skipSpaceAndComments(sql, 0);
    while (i < n && sql.charAt(i) == '(') {
      i = skipSpaceAndComments(sql, i + 1);
    }
    int start = i;
    while (i < n && letter(sql.charAt(i))) {
      i++;
    }
    if (!isWord(sql, start, i, "select") && !isWord(sql, start, i, "with") && !isWord(sql, start, i, "values")
        && !isWord(sql, start, i, "table")) {
      return false;
    }
    boolean afterFor = false; // the previous word was an unqualified FOR
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        i = skipQuoted(sql, i, c);
        if (i < 0) {
          return false;
        }
        afterFor = false;
      } else if (c == '$') {
        if (i + 1 < n && (sql.charAt(i + 1) == '$' || letter(sql.charAt(i + 1)))) {
          return false; // a dollar-quoted body: could hold anything
        }
        i++;
      } else if (c == ';') {
        return skipSpaceAndComments(sql, i + 1) >= n; // a second statement: doubt
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = skipSpaceAndComments(sql, i);
      } else if (letter(c) || c == '_') {
        int s = i;
        while (i < n && (letterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        boolean qualified = s > 0 && sql.charAt(s - 1) == '.';
        if (!qualified) {
          if (WRITING_WORDS.contains(sql, s, i)) {
            return false;
          }
          if (afterFor && (isWord(sql, s, i, "update") || isWord(sql, s, i, "share") || isWord(sql, s, i, "no")
              || isWord(sql, s, i, "key"))) {
            return false;
          }
        }
        int after = skipSpaceAndComments(sql, i);
        if (after < n && sql.charAt(after) == '(' && (qualified || !SAFE_BEFORE_PAREN.contains(sql, s, i))) {
          return false; // a function call: it may write (nextval, user functions)
        }
        afterFor = !qualified && isWord(sql, s, i, "for");
      } else {
        if (!space(c) && c != '.') {
          afterFor = false;
        }
        i++;
      }
    }
    return true;
  }

  /**
   * Returns why {@code sql} leaves session state on the physical connection that a re-bind would lose, or
   * null. Checked on statements that are not plain selects: session {@code SET}/{@code RESET}/{@code
   * set_config}, temporary tables, session advisory locks, {@code LISTEN}, {@code PREPARE},
   * {@code DECLARE … WITH HOLD}, {@code LOAD}. {@code SET LOCAL}/{@code SET TRANSACTION} and transaction-level
   * advisory locks end with the transaction and do not count.
   */
  static String sessionState(String sql) {
    if (sql == null) {
      return null;
    }
    int i = skipSpaceAndComments(sql, 0);
    if (startsWithWord(sql, i, "set")) {
      int j = skipSpaceAndComments(sql, i + 3);
      if (startsWithWord(sql, j, "local") || startsWithWord(sql, j, "transaction")) {
        return null;
      }
      return "a session SET";
    }
    if (startsWithWord(sql, i, "reset")) {
      return "a session RESET";
    }
    if (startsWithWord(sql, i, "listen")) {
      return "LISTEN";
    }
    if (startsWithWord(sql, i, "prepare")) {
      return "a PREPARE";
    }
    if (startsWithWord(sql, i, "load")) {
      return "a LOAD";
    }
    if (startsWithWord(sql, i, "declare") && containsIgnoreCase(sql, "with hold")) {
      return "a cursor WITH HOLD";
    }
    if (startsWithWord(sql, i, "create") && (containsIgnoreCase(sql, " temp ")
        || containsIgnoreCase(sql, " temporary ") || containsIgnoreCase(sql, "pg_temp."))) {
      return "a temporary table";
    }
    // pg_advisory_lock_shared and pg_try_advisory_lock_shared contain these two names: no scan of their own
    if (containsIgnoreCase(sql, "pg_advisory_lock") || containsIgnoreCase(sql, "pg_try_advisory_lock")) {
      return "a session advisory lock";
    }
    if (containsIgnoreCase(sql, "set_config")) {
      return "set_config";
    }
    return null;
  }

  private static boolean startsWithWord(String sql, int i, String word) {
    int end = i + word.length();
    return sql.regionMatches(true, i, word, 0, word.length())
        && (end >= sql.length() || !letterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
  }

  /**
   * Whether {@code sql} contains {@code part} (lower case, starting with an ASCII character), as
   * {@code regionMatches(true, …)} at some position would say. Runs on every execution that may write, so a
   * position is compared in full only when its first character can match: an ASCII character equal to
   * {@code part}'s first one in either case, or any non-ASCII one (the Kelvin sign, the long s and the dotted
   * capital I match ASCII letters under case folding). JMH: the plain loop of {@code regionMatches} per
   * position was a third of a routed write's CPU.
   */
  private static boolean containsIgnoreCase(String sql, String part) {
    char first = part.charAt(0);
    int length = part.length();
    for (int i = 0, last = sql.length() - length; i <= last; i++) {
      char c = sql.charAt(i);
      if ((c == first || c >= 128 || (c | 0x20) == first) && sql.regionMatches(true, i, part, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static int skipQuoted(String sql, int i, char quote) {
    int n = sql.length();
    i++;
    while (i < n) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2; // '' or "" inside a literal
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return -1; // unterminated: doubt
  }

  private static int skipSpaceAndComments(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (space(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return i;
  }
}
