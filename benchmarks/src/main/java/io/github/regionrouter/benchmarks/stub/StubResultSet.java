package io.github.regionrouter.benchmarks.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A forward-only result of one row whose first column is a fixed string (see {@link StubStatement#LSN}).
 * Only the cursor, {@link #getString(int)} and closing have behaviour; the mechanical defaults below them
 * return zero, false or null. Not thread-safe.
 */
@SuppressWarnings("deprecation") // ResultSet's deprecated getters must be implemented all the same
public final class StubResultSet implements ResultSet {

  private final Statement statement;
  private final String value;
  private int row;
  private boolean closed;

  StubResultSet(Statement statement, String value) {
    this.statement = statement;
    this.value = value;
  }

  @Override
  public boolean next() {
    return ++row == 1;
  }

  @Override
  public String getString(int columnIndex) throws SQLException {
    if (row != 1 || columnIndex != 1) {
      throw new SQLException("stub result has one row of one column (row " + row + ", column " + columnIndex
          + " asked)", "22023");
    }
    return value;
  }

  @Override
  public boolean wasNull() {
    return false;
  }

  @Override
  public Statement getStatement() {
    return statement;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    throw new SQLFeatureNotSupportedException("stub result: getMetaData is not implemented");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("stub result is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  // ---------------------------------------------------------------- mechanical defaults, one line each

  @Override public boolean absolute(int p0) throws SQLException { return false; }
  @Override public void afterLast() throws SQLException { }
  @Override public void beforeFirst() throws SQLException { }
  @Override public void cancelRowUpdates() throws SQLException { }
  @Override public void clearWarnings() throws SQLException { }
  @Override public void deleteRow() throws SQLException { }
  @Override public int findColumn(String p0) throws SQLException { return 0; }
  @Override public boolean first() throws SQLException { return false; }
  @Override public Array getArray(String p0) throws SQLException { return null; }
  @Override public Array getArray(int p0) throws SQLException { return null; }
  @Override public InputStream getAsciiStream(String p0) throws SQLException { return null; }
  @Override public InputStream getAsciiStream(int p0) throws SQLException { return null; }
  @Override public BigDecimal getBigDecimal(String p0, int p1) throws SQLException { return null; }
  @Override public BigDecimal getBigDecimal(String p0) throws SQLException { return null; }
  @Override public BigDecimal getBigDecimal(int p0, int p1) throws SQLException { return null; }
  @Override public BigDecimal getBigDecimal(int p0) throws SQLException { return null; }
  @Override public InputStream getBinaryStream(String p0) throws SQLException { return null; }
  @Override public InputStream getBinaryStream(int p0) throws SQLException { return null; }
  @Override public Blob getBlob(String p0) throws SQLException { return null; }
  @Override public Blob getBlob(int p0) throws SQLException { return null; }
  @Override public boolean getBoolean(String p0) throws SQLException { return false; }
  @Override public boolean getBoolean(int p0) throws SQLException { return false; }
  @Override public byte getByte(String p0) throws SQLException { return 0; }
  @Override public byte getByte(int p0) throws SQLException { return 0; }
  @Override public byte[] getBytes(String p0) throws SQLException { return null; }
  @Override public byte[] getBytes(int p0) throws SQLException { return null; }
  @Override public Reader getCharacterStream(String p0) throws SQLException { return null; }
  @Override public Reader getCharacterStream(int p0) throws SQLException { return null; }
  @Override public Clob getClob(String p0) throws SQLException { return null; }
  @Override public Clob getClob(int p0) throws SQLException { return null; }
  @Override public int getConcurrency() throws SQLException { return 0; }
  @Override public String getCursorName() throws SQLException { return null; }
  @Override public Date getDate(String p0, Calendar p1) throws SQLException { return null; }
  @Override public Date getDate(String p0) throws SQLException { return null; }
  @Override public Date getDate(int p0, Calendar p1) throws SQLException { return null; }
  @Override public Date getDate(int p0) throws SQLException { return null; }
  @Override public double getDouble(String p0) throws SQLException { return 0; }
  @Override public double getDouble(int p0) throws SQLException { return 0; }
  @Override public int getFetchDirection() throws SQLException { return 0; }
  @Override public int getFetchSize() throws SQLException { return 0; }
  @Override public float getFloat(String p0) throws SQLException { return 0; }
  @Override public float getFloat(int p0) throws SQLException { return 0; }
  @Override public int getHoldability() throws SQLException { return 0; }
  @Override public int getInt(String p0) throws SQLException { return 0; }
  @Override public int getInt(int p0) throws SQLException { return 0; }
  @Override public long getLong(String p0) throws SQLException { return 0; }
  @Override public long getLong(int p0) throws SQLException { return 0; }
  @Override public Reader getNCharacterStream(String p0) throws SQLException { return null; }
  @Override public Reader getNCharacterStream(int p0) throws SQLException { return null; }
  @Override public NClob getNClob(String p0) throws SQLException { return null; }
  @Override public NClob getNClob(int p0) throws SQLException { return null; }
  @Override public String getNString(String p0) throws SQLException { return null; }
  @Override public String getNString(int p0) throws SQLException { return null; }
  @Override public <T> T getObject(String p0, Class<T> p1) throws SQLException { return null; }
  @Override public Object getObject(String p0, Map<String, Class<?>> p1) throws SQLException { return null; }
  @Override public Object getObject(String p0) throws SQLException { return null; }
  @Override public <T> T getObject(int p0, Class<T> p1) throws SQLException { return null; }
  @Override public Object getObject(int p0, Map<String, Class<?>> p1) throws SQLException { return null; }
  @Override public Object getObject(int p0) throws SQLException { return null; }
  @Override public Ref getRef(String p0) throws SQLException { return null; }
  @Override public Ref getRef(int p0) throws SQLException { return null; }
  @Override public int getRow() throws SQLException { return 0; }
  @Override public RowId getRowId(String p0) throws SQLException { return null; }
  @Override public RowId getRowId(int p0) throws SQLException { return null; }
  @Override public SQLXML getSQLXML(String p0) throws SQLException { return null; }
  @Override public SQLXML getSQLXML(int p0) throws SQLException { return null; }
  @Override public short getShort(String p0) throws SQLException { return 0; }
  @Override public short getShort(int p0) throws SQLException { return 0; }
  @Override public String getString(String p0) throws SQLException { return null; }
  @Override public Time getTime(String p0, Calendar p1) throws SQLException { return null; }
  @Override public Time getTime(String p0) throws SQLException { return null; }
  @Override public Time getTime(int p0, Calendar p1) throws SQLException { return null; }
  @Override public Time getTime(int p0) throws SQLException { return null; }
  @Override public Timestamp getTimestamp(String p0, Calendar p1) throws SQLException { return null; }
  @Override public Timestamp getTimestamp(String p0) throws SQLException { return null; }
  @Override public Timestamp getTimestamp(int p0, Calendar p1) throws SQLException { return null; }
  @Override public Timestamp getTimestamp(int p0) throws SQLException { return null; }
  @Override public int getType() throws SQLException { return 0; }
  @Override public URL getURL(String p0) throws SQLException { return null; }
  @Override public URL getURL(int p0) throws SQLException { return null; }
  @Override public InputStream getUnicodeStream(String p0) throws SQLException { return null; }
  @Override public InputStream getUnicodeStream(int p0) throws SQLException { return null; }
  @Override public SQLWarning getWarnings() throws SQLException { return null; }
  @Override public void insertRow() throws SQLException { }
  @Override public boolean isAfterLast() throws SQLException { return false; }
  @Override public boolean isBeforeFirst() throws SQLException { return false; }
  @Override public boolean isFirst() throws SQLException { return false; }
  @Override public boolean isLast() throws SQLException { return false; }
  @Override public boolean last() throws SQLException { return false; }
  @Override public void moveToCurrentRow() throws SQLException { }
  @Override public void moveToInsertRow() throws SQLException { }
  @Override public boolean previous() throws SQLException { return false; }
  @Override public void refreshRow() throws SQLException { }
  @Override public boolean relative(int p0) throws SQLException { return false; }
  @Override public boolean rowDeleted() throws SQLException { return false; }
  @Override public boolean rowInserted() throws SQLException { return false; }
  @Override public boolean rowUpdated() throws SQLException { return false; }
  @Override public void setFetchDirection(int p0) throws SQLException { }
  @Override public void setFetchSize(int p0) throws SQLException { }
  @Override public void updateArray(String p0, Array p1) throws SQLException { }
  @Override public void updateArray(int p0, Array p1) throws SQLException { }
  @Override public void updateAsciiStream(String p0, InputStream p1, int p2) throws SQLException { }
  @Override public void updateAsciiStream(String p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateAsciiStream(String p0, InputStream p1) throws SQLException { }
  @Override public void updateAsciiStream(int p0, InputStream p1, int p2) throws SQLException { }
  @Override public void updateAsciiStream(int p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateAsciiStream(int p0, InputStream p1) throws SQLException { }
  @Override public void updateBigDecimal(String p0, BigDecimal p1) throws SQLException { }
  @Override public void updateBigDecimal(int p0, BigDecimal p1) throws SQLException { }
  @Override public void updateBinaryStream(String p0, InputStream p1, int p2) throws SQLException { }
  @Override public void updateBinaryStream(String p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateBinaryStream(String p0, InputStream p1) throws SQLException { }
  @Override public void updateBinaryStream(int p0, InputStream p1, int p2) throws SQLException { }
  @Override public void updateBinaryStream(int p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateBinaryStream(int p0, InputStream p1) throws SQLException { }
  @Override public void updateBlob(String p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateBlob(String p0, InputStream p1) throws SQLException { }
  @Override public void updateBlob(String p0, Blob p1) throws SQLException { }
  @Override public void updateBlob(int p0, InputStream p1, long p2) throws SQLException { }
  @Override public void updateBlob(int p0, InputStream p1) throws SQLException { }
  @Override public void updateBlob(int p0, Blob p1) throws SQLException { }
  @Override public void updateBoolean(String p0, boolean p1) throws SQLException { }
  @Override public void updateBoolean(int p0, boolean p1) throws SQLException { }
  @Override public void updateByte(String p0, byte p1) throws SQLException { }
  @Override public void updateByte(int p0, byte p1) throws SQLException { }
  @Override public void updateBytes(String p0, byte[] p1) throws SQLException { }
  @Override public void updateBytes(int p0, byte[] p1) throws SQLException { }
  @Override public void updateCharacterStream(String p0, Reader p1, int p2) throws SQLException { }
  @Override public void updateCharacterStream(String p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateCharacterStream(String p0, Reader p1) throws SQLException { }
  @Override public void updateCharacterStream(int p0, Reader p1, int p2) throws SQLException { }
  @Override public void updateCharacterStream(int p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateCharacterStream(int p0, Reader p1) throws SQLException { }
  @Override public void updateClob(String p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateClob(String p0, Reader p1) throws SQLException { }
  @Override public void updateClob(String p0, Clob p1) throws SQLException { }
  @Override public void updateClob(int p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateClob(int p0, Reader p1) throws SQLException { }
  @Override public void updateClob(int p0, Clob p1) throws SQLException { }
  @Override public void updateDate(String p0, Date p1) throws SQLException { }
  @Override public void updateDate(int p0, Date p1) throws SQLException { }
  @Override public void updateDouble(String p0, double p1) throws SQLException { }
  @Override public void updateDouble(int p0, double p1) throws SQLException { }
  @Override public void updateFloat(String p0, float p1) throws SQLException { }
  @Override public void updateFloat(int p0, float p1) throws SQLException { }
  @Override public void updateInt(String p0, int p1) throws SQLException { }
  @Override public void updateInt(int p0, int p1) throws SQLException { }
  @Override public void updateLong(String p0, long p1) throws SQLException { }
  @Override public void updateLong(int p0, long p1) throws SQLException { }
  @Override public void updateNCharacterStream(String p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateNCharacterStream(String p0, Reader p1) throws SQLException { }
  @Override public void updateNCharacterStream(int p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateNCharacterStream(int p0, Reader p1) throws SQLException { }
  @Override public void updateNClob(String p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateNClob(String p0, Reader p1) throws SQLException { }
  @Override public void updateNClob(String p0, NClob p1) throws SQLException { }
  @Override public void updateNClob(int p0, Reader p1, long p2) throws SQLException { }
  @Override public void updateNClob(int p0, Reader p1) throws SQLException { }
  @Override public void updateNClob(int p0, NClob p1) throws SQLException { }
  @Override public void updateNString(String p0, String p1) throws SQLException { }
  @Override public void updateNString(int p0, String p1) throws SQLException { }
  @Override public void updateNull(String p0) throws SQLException { }
  @Override public void updateNull(int p0) throws SQLException { }
  @Override public void updateObject(String p0, Object p1, int p2) throws SQLException { }
  @Override public void updateObject(String p0, Object p1) throws SQLException { }
  @Override public void updateObject(int p0, Object p1, int p2) throws SQLException { }
  @Override public void updateObject(int p0, Object p1) throws SQLException { }
  @Override public void updateRef(String p0, Ref p1) throws SQLException { }
  @Override public void updateRef(int p0, Ref p1) throws SQLException { }
  @Override public void updateRow() throws SQLException { }
  @Override public void updateRowId(String p0, RowId p1) throws SQLException { }
  @Override public void updateRowId(int p0, RowId p1) throws SQLException { }
  @Override public void updateSQLXML(String p0, SQLXML p1) throws SQLException { }
  @Override public void updateSQLXML(int p0, SQLXML p1) throws SQLException { }
  @Override public void updateShort(String p0, short p1) throws SQLException { }
  @Override public void updateShort(int p0, short p1) throws SQLException { }
  @Override public void updateString(String p0, String p1) throws SQLException { }
  @Override public void updateString(int p0, String p1) throws SQLException { }
  @Override public void updateTime(String p0, Time p1) throws SQLException { }
  @Override public void updateTime(int p0, Time p1) throws SQLException { }
  @Override public void updateTimestamp(String p0, Timestamp p1) throws SQLException { }
  @Override public void updateTimestamp(int p0, Timestamp p1) throws SQLException { }
}
