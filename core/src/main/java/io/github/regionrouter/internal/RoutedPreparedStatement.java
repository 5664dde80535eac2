package io.github.regionrouter.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A {@link RoutedStatement} over a {@link PreparedStatement}: the executions without text run the text given at
 * creation; every parameter set before the first execution of a retryable statement is recorded for a replay.
 * The methods below the "mechanical" line were generated (see {@link RoutedStatement}). Not thread-safe.
 */
class RoutedPreparedStatement extends RoutedStatement implements PreparedStatement {

  RoutedPreparedStatement(RoutedConnection owner, PreparedStatement physical, String sql, Creator creator) {
    super(owner, physical, sql, creator);
  }

  final PreparedStatement prepared() {
    return (PreparedStatement) physical;
  }

  // ---------------------------------------------------------------- executions

  @Override
  public ResultSet executeQuery() throws SQLException {
    return (ResultSet) executeRouted(PREPARED_QUERY, sql, null);
  }

  @Override
  public int executeUpdate() throws SQLException {
    return (Integer) executeRouted(PREPARED_UPDATE, sql, null);
  }

  @Override
  public boolean execute() throws SQLException {
    return (Boolean) executeRouted(PREPARED_EXECUTE, sql, null);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return (Long) executeRouted(PREPARED_LARGE_UPDATE, sql, null);
  }

  // ---------------------------------------------------------------- mechanical: delegate (and record)

  @Override
  public void addBatch() throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).addBatch());
    }
    prepared().addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).clearParameters());
    }
    prepared().clearParameters();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return prepared().getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return prepared().getParameterMetaData();
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setArray(parameterIndex, x));
    }
    prepared().setArray(parameterIndex, x);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setAsciiStream(parameterIndex, x, length));
    }
    prepared().setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setAsciiStream(parameterIndex, x, length));
    }
    prepared().setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setAsciiStream(parameterIndex, x));
    }
    prepared().setAsciiStream(parameterIndex, x);
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBigDecimal(parameterIndex, x));
    }
    prepared().setBigDecimal(parameterIndex, x);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBinaryStream(parameterIndex, x, length));
    }
    prepared().setBinaryStream(parameterIndex, x, length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBinaryStream(parameterIndex, x, length));
    }
    prepared().setBinaryStream(parameterIndex, x, length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBinaryStream(parameterIndex, x));
    }
    prepared().setBinaryStream(parameterIndex, x);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBlob(parameterIndex, x, length));
    }
    prepared().setBlob(parameterIndex, x, length);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBlob(parameterIndex, x));
    }
    prepared().setBlob(parameterIndex, x);
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBlob(parameterIndex, x));
    }
    prepared().setBlob(parameterIndex, x);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBoolean(parameterIndex, x));
    }
    prepared().setBoolean(parameterIndex, x);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setByte(parameterIndex, x));
    }
    prepared().setByte(parameterIndex, x);
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setBytes(parameterIndex, x));
    }
    prepared().setBytes(parameterIndex, x);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x, int length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setCharacterStream(parameterIndex, x, length));
    }
    prepared().setCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setCharacterStream(parameterIndex, x, length));
    }
    prepared().setCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setCharacterStream(parameterIndex, x));
    }
    prepared().setCharacterStream(parameterIndex, x);
  }

  @Override
  public void setClob(int parameterIndex, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setClob(parameterIndex, x, length));
    }
    prepared().setClob(parameterIndex, x, length);
  }

  @Override
  public void setClob(int parameterIndex, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setClob(parameterIndex, x));
    }
    prepared().setClob(parameterIndex, x);
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setClob(parameterIndex, x));
    }
    prepared().setClob(parameterIndex, x);
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setDate(parameterIndex, x, cal));
    }
    prepared().setDate(parameterIndex, x, cal);
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setDate(parameterIndex, x));
    }
    prepared().setDate(parameterIndex, x);
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setDouble(parameterIndex, x));
    }
    prepared().setDouble(parameterIndex, x);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setFloat(parameterIndex, x));
    }
    prepared().setFloat(parameterIndex, x);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setInt(parameterIndex, x));
    }
    prepared().setInt(parameterIndex, x);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setLong(parameterIndex, x));
    }
    prepared().setLong(parameterIndex, x);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNCharacterStream(parameterIndex, x, length));
    }
    prepared().setNCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNCharacterStream(parameterIndex, x));
    }
    prepared().setNCharacterStream(parameterIndex, x);
  }

  @Override
  public void setNClob(int parameterIndex, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNClob(parameterIndex, x, length));
    }
    prepared().setNClob(parameterIndex, x, length);
  }

  @Override
  public void setNClob(int parameterIndex, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNClob(parameterIndex, x));
    }
    prepared().setNClob(parameterIndex, x);
  }

  @Override
  public void setNClob(int parameterIndex, NClob x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNClob(parameterIndex, x));
    }
    prepared().setNClob(parameterIndex, x);
  }

  @Override
  public void setNString(int parameterIndex, String x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNString(parameterIndex, x));
    }
    prepared().setNString(parameterIndex, x);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNull(parameterIndex, sqlType, typeName));
    }
    prepared().setNull(parameterIndex, sqlType, typeName);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setNull(parameterIndex, sqlType));
    }
    prepared().setNull(parameterIndex, sqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setObject(parameterIndex, x, targetSqlType, scaleOrLength));
    }
    prepared().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setObject(parameterIndex, x, targetSqlType));
    }
    prepared().setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType sqlType, int scaleOrLength) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setObject(parameterIndex, x, sqlType, scaleOrLength));
    }
    prepared().setObject(parameterIndex, x, sqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType sqlType) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setObject(parameterIndex, x, sqlType));
    }
    prepared().setObject(parameterIndex, x, sqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setObject(parameterIndex, x));
    }
    prepared().setObject(parameterIndex, x);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setRef(parameterIndex, x));
    }
    prepared().setRef(parameterIndex, x);
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setRowId(parameterIndex, x));
    }
    prepared().setRowId(parameterIndex, x);
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setSQLXML(parameterIndex, x));
    }
    prepared().setSQLXML(parameterIndex, x);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setShort(parameterIndex, x));
    }
    prepared().setShort(parameterIndex, x);
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setString(parameterIndex, x));
    }
    prepared().setString(parameterIndex, x);
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setTime(parameterIndex, x, cal));
    }
    prepared().setTime(parameterIndex, x, cal);
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setTime(parameterIndex, x));
    }
    prepared().setTime(parameterIndex, x);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setTimestamp(parameterIndex, x, cal));
    }
    prepared().setTimestamp(parameterIndex, x, cal);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setTimestamp(parameterIndex, x));
    }
    prepared().setTimestamp(parameterIndex, x);
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setURL(parameterIndex, x));
    }
    prepared().setURL(parameterIndex, x);
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    if (recording) {
      record(s -> ((PreparedStatement) s).setUnicodeStream(parameterIndex, x, length));
    }
    prepared().setUnicodeStream(parameterIndex, x, length);
  }
}
