package io.github.regionrouter.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A {@link RoutedPreparedStatement} over a {@link CallableStatement}: out parameters registered and parameters
 * set by name before the first execution of a retryable call are recorded for a replay like the others. All
 * of its methods are mechanical, generated (see {@link RoutedStatement}). Not thread-safe.
 */
final class RoutedCallableStatement extends RoutedPreparedStatement implements CallableStatement {

  RoutedCallableStatement(RoutedConnection owner, CallableStatement physical, String sql, Creator creator) {
    super(owner, physical, sql, creator);
  }

  private CallableStatement callable() {
    return (CallableStatement) physical;
  }

  // ---------------------------------------------------------------- mechanical: delegate (and record)

  @Override
  public Array getArray(String parameterName) throws SQLException {
    return callable().getArray(parameterName);
  }

  @Override
  public Array getArray(int parameterIndex) throws SQLException {
    return callable().getArray(parameterIndex);
  }

  @Override
  public BigDecimal getBigDecimal(String parameterName) throws SQLException {
    return callable().getBigDecimal(parameterName);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int parameterIndex, int scale) throws SQLException {
    return callable().getBigDecimal(parameterIndex, scale);
  }

  @Override
  public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
    return callable().getBigDecimal(parameterIndex);
  }

  @Override
  public Blob getBlob(String parameterName) throws SQLException {
    return callable().getBlob(parameterName);
  }

  @Override
  public Blob getBlob(int parameterIndex) throws SQLException {
    return callable().getBlob(parameterIndex);
  }

  @Override
  public boolean getBoolean(String parameterName) throws SQLException {
    return callable().getBoolean(parameterName);
  }

  @Override
  public boolean getBoolean(int parameterIndex) throws SQLException {
    return callable().getBoolean(parameterIndex);
  }

  @Override
  public byte getByte(String parameterName) throws SQLException {
    return callable().getByte(parameterName);
  }

  @Override
  public byte getByte(int parameterIndex) throws SQLException {
    return callable().getByte(parameterIndex);
  }

  @Override
  public byte[] getBytes(String parameterName) throws SQLException {
    return callable().getBytes(parameterName);
  }

  @Override
  public byte[] getBytes(int parameterIndex) throws SQLException {
    return callable().getBytes(parameterIndex);
  }

  @Override
  public Reader getCharacterStream(String parameterName) throws SQLException {
    return callable().getCharacterStream(parameterName);
  }

  @Override
  public Reader getCharacterStream(int parameterIndex) throws SQLException {
    return callable().getCharacterStream(parameterIndex);
  }

  @Override
  public Clob getClob(String parameterName) throws SQLException {
    return callable().getClob(parameterName);
  }

  @Override
  public Clob getClob(int parameterIndex) throws SQLException {
    return callable().getClob(parameterIndex);
  }

  @Override
  public Date getDate(String parameterName, Calendar cal) throws SQLException {
    return callable().getDate(parameterName, cal);
  }

  @Override
  public Date getDate(String parameterName) throws SQLException {
    return callable().getDate(parameterName);
  }

  @Override
  public Date getDate(int parameterIndex, Calendar cal) throws SQLException {
    return callable().getDate(parameterIndex, cal);
  }

  @Override
  public Date getDate(int parameterIndex) throws SQLException {
    return callable().getDate(parameterIndex);
  }

  @Override
  public double getDouble(String parameterName) throws SQLException {
    return callable().getDouble(parameterName);
  }

  @Override
  public double getDouble(int parameterIndex) throws SQLException {
    return callable().getDouble(parameterIndex);
  }

  @Override
  public float getFloat(String parameterName) throws SQLException {
    return callable().getFloat(parameterName);
  }

  @Override
  public float getFloat(int parameterIndex) throws SQLException {
    return callable().getFloat(parameterIndex);
  }

  @Override
  public int getInt(String parameterName) throws SQLException {
    return callable().getInt(parameterName);
  }

  @Override
  public int getInt(int parameterIndex) throws SQLException {
    return callable().getInt(parameterIndex);
  }

  @Override
  public long getLong(String parameterName) throws SQLException {
    return callable().getLong(parameterName);
  }

  @Override
  public long getLong(int parameterIndex) throws SQLException {
    return callable().getLong(parameterIndex);
  }

  @Override
  public Reader getNCharacterStream(String parameterName) throws SQLException {
    return callable().getNCharacterStream(parameterName);
  }

  @Override
  public Reader getNCharacterStream(int parameterIndex) throws SQLException {
    return callable().getNCharacterStream(parameterIndex);
  }

  @Override
  public NClob getNClob(String parameterName) throws SQLException {
    return callable().getNClob(parameterName);
  }

  @Override
  public NClob getNClob(int parameterIndex) throws SQLException {
    return callable().getNClob(parameterIndex);
  }

  @Override
  public String getNString(String parameterName) throws SQLException {
    return callable().getNString(parameterName);
  }

  @Override
  public String getNString(int parameterIndex) throws SQLException {
    return callable().getNString(parameterIndex);
  }

  @Override
  public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
    return callable().getObject(parameterName, type);
  }

  @Override
  public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
    return callable().getObject(parameterName, map);
  }

  @Override
  public Object getObject(String parameterName) throws SQLException {
    return callable().getObject(parameterName);
  }

  @Override
  public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
    return callable().getObject(parameterIndex, type);
  }

  @Override
  public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
    return callable().getObject(parameterIndex, map);
  }

  @Override
  public Object getObject(int parameterIndex) throws SQLException {
    return callable().getObject(parameterIndex);
  }

  @Override
  public Ref getRef(String parameterName) throws SQLException {
    return callable().getRef(parameterName);
  }

  @Override
  public Ref getRef(int parameterIndex) throws SQLException {
    return callable().getRef(parameterIndex);
  }

  @Override
  public RowId getRowId(String parameterName) throws SQLException {
    return callable().getRowId(parameterName);
  }

  @Override
  public RowId getRowId(int parameterIndex) throws SQLException {
    return callable().getRowId(parameterIndex);
  }

  @Override
  public SQLXML getSQLXML(String parameterName) throws SQLException {
    return callable().getSQLXML(parameterName);
  }

  @Override
  public SQLXML getSQLXML(int parameterIndex) throws SQLException {
    return callable().getSQLXML(parameterIndex);
  }

  @Override
  public short getShort(String parameterName) throws SQLException {
    return callable().getShort(parameterName);
  }

  @Override
  public short getShort(int parameterIndex) throws SQLException {
    return callable().getShort(parameterIndex);
  }

  @Override
  public String getString(String parameterName) throws SQLException {
    return callable().getString(parameterName);
  }

  @Override
  public String getString(int parameterIndex) throws SQLException {
    return callable().getString(parameterIndex);
  }

  @Override
  public Time getTime(String parameterName, Calendar cal) throws SQLException {
    return callable().getTime(parameterName, cal);
  }

  @Override
  public Time getTime(String parameterName) throws SQLException {
    return callable().getTime(parameterName);
  }

  @Override
  public Time getTime(int parameterIndex, Calendar cal) throws SQLException {
    return callable().getTime(parameterIndex, cal);
  }

  @Override
  public Time getTime(int parameterIndex) throws SQLException {
    return callable().getTime(parameterIndex);
  }

  @Override
  public Timestamp getTimestamp(String parameterName, Calendar cal) throws SQLException {
    return callable().getTimestamp(parameterName, cal);
  }

  @Override
  public Timestamp getTimestamp(String parameterName) throws SQLException {
    return callable().getTimestamp(parameterName);
  }

  @Override
  public Timestamp getTimestamp(int parameterIndex, Calendar cal) throws SQLException {
    return callable().getTimestamp(parameterIndex, cal);
  }

  @Override
  public Timestamp getTimestamp(int parameterIndex) throws SQLException {
    return callable().getTimestamp(parameterIndex);
  }

  @Override
  public URL getURL(String parameterName) throws SQLException {
    return callable().getURL(parameterName);
  }

  @Override
  public URL getURL(int parameterIndex) throws SQLException {
    return callable().getURL(parameterIndex);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType, typeName));
    }
    callable().registerOutParameter(parameterName, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType, scale));
    }
    callable().registerOutParameter(parameterName, sqlType, scale);
  }

  @Override
  public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType));
    }
    callable().registerOutParameter(parameterName, sqlType);
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType, typeName));
    }
    callable().registerOutParameter(parameterName, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType sqlType, int scale) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType, scale));
    }
    callable().registerOutParameter(parameterName, sqlType, scale);
  }

  @Override
  public void registerOutParameter(String parameterName, SQLType sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterName, sqlType));
    }
    callable().registerOutParameter(parameterName, sqlType);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType, typeName));
    }
    callable().registerOutParameter(parameterIndex, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType, scale));
    }
    callable().registerOutParameter(parameterIndex, sqlType, scale);
  }

  @Override
  public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType));
    }
    callable().registerOutParameter(parameterIndex, sqlType);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType, typeName));
    }
    callable().registerOutParameter(parameterIndex, sqlType, typeName);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType sqlType, int scale) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType, scale));
    }
    callable().registerOutParameter(parameterIndex, sqlType, scale);
  }

  @Override
  public void registerOutParameter(int parameterIndex, SQLType sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).registerOutParameter(parameterIndex, sqlType));
    }
    callable().registerOutParameter(parameterIndex, sqlType);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream x, int length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setAsciiStream(parameterName, x, length));
    }
    callable().setAsciiStream(parameterName, x, length);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setAsciiStream(parameterName, x, length));
    }
    callable().setAsciiStream(parameterName, x, length);
  }

  @Override
  public void setAsciiStream(String parameterName, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setAsciiStream(parameterName, x));
    }
    callable().setAsciiStream(parameterName, x);
  }

  @Override
  public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBigDecimal(parameterName, x));
    }
    callable().setBigDecimal(parameterName, x);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream x, int length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBinaryStream(parameterName, x, length));
    }
    callable().setBinaryStream(parameterName, x, length);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBinaryStream(parameterName, x, length));
    }
    callable().setBinaryStream(parameterName, x, length);
  }

  @Override
  public void setBinaryStream(String parameterName, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBinaryStream(parameterName, x));
    }
    callable().setBinaryStream(parameterName, x);
  }

  @Override
  public void setBlob(String parameterName, InputStream x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBlob(parameterName, x, length));
    }
    callable().setBlob(parameterName, x, length);
  }

  @Override
  public void setBlob(String parameterName, InputStream x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBlob(parameterName, x));
    }
    callable().setBlob(parameterName, x);
  }

  @Override
  public void setBlob(String parameterName, Blob x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBlob(parameterName, x));
    }
    callable().setBlob(parameterName, x);
  }

  @Override
  public void setBoolean(String parameterName, boolean x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBoolean(parameterName, x));
    }
    callable().setBoolean(parameterName, x);
  }

  @Override
  public void setByte(String parameterName, byte x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setByte(parameterName, x));
    }
    callable().setByte(parameterName, x);
  }

  @Override
  public void setBytes(String parameterName, byte[] x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setBytes(parameterName, x));
    }
    callable().setBytes(parameterName, x);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader x, int length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setCharacterStream(parameterName, x, length));
    }
    callable().setCharacterStream(parameterName, x, length);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setCharacterStream(parameterName, x, length));
    }
    callable().setCharacterStream(parameterName, x, length);
  }

  @Override
  public void setCharacterStream(String parameterName, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setCharacterStream(parameterName, x));
    }
    callable().setCharacterStream(parameterName, x);
  }

  @Override
  public void setClob(String parameterName, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setClob(parameterName, x, length));
    }
    callable().setClob(parameterName, x, length);
  }

  @Override
  public void setClob(String parameterName, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setClob(parameterName, x));
    }
    callable().setClob(parameterName, x);
  }

  @Override
  public void setClob(String parameterName, Clob x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setClob(parameterName, x));
    }
    callable().setClob(parameterName, x);
  }

  @Override
  public void setDate(String parameterName, Date x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setDate(parameterName, x, cal));
    }
    callable().setDate(parameterName, x, cal);
  }

  @Override
  public void setDate(String parameterName, Date x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setDate(parameterName, x));
    }
    callable().setDate(parameterName, x);
  }

  @Override
  public void setDouble(String parameterName, double x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setDouble(parameterName, x));
    }
    callable().setDouble(parameterName, x);
  }

  @Override
  public void setFloat(String parameterName, float x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setFloat(parameterName, x));
    }
    callable().setFloat(parameterName, x);
  }

  @Override
  public void setInt(String parameterName, int x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setInt(parameterName, x));
    }
    callable().setInt(parameterName, x);
  }

  @Override
  public void setLong(String parameterName, long x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setLong(parameterName, x));
    }
    callable().setLong(parameterName, x);
  }

  @Override
  public void setNCharacterStream(String parameterName, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNCharacterStream(parameterName, x, length));
    }
    callable().setNCharacterStream(parameterName, x, length);
  }

  @Override
  public void setNCharacterStream(String parameterName, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNCharacterStream(parameterName, x));
    }
    callable().setNCharacterStream(parameterName, x);
  }

  @Override
  public void setNClob(String parameterName, Reader x, long length) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNClob(parameterName, x, length));
    }
    callable().setNClob(parameterName, x, length);
  }

  @Override
  public void setNClob(String parameterName, Reader x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNClob(parameterName, x));
    }
    callable().setNClob(parameterName, x);
  }

  @Override
  public void setNClob(String parameterName, NClob x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNClob(parameterName, x));
    }
    callable().setNClob(parameterName, x);
  }

  @Override
  public void setNString(String parameterName, String x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNString(parameterName, x));
    }
    callable().setNString(parameterName, x);
  }

  @Override
  public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNull(parameterName, sqlType, typeName));
    }
    callable().setNull(parameterName, sqlType, typeName);
  }

  @Override
  public void setNull(String parameterName, int sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setNull(parameterName, sqlType));
    }
    callable().setNull(parameterName, sqlType);
  }

  @Override
  public void setObject(String parameterName, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setObject(parameterName, x, targetSqlType, scaleOrLength));
    }
    callable().setObject(parameterName, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setObject(parameterName, x, targetSqlType));
    }
    callable().setObject(parameterName, x, targetSqlType);
  }

  @Override
  public void setObject(String parameterName, Object x, SQLType sqlType, int scaleOrLength) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setObject(parameterName, x, sqlType, scaleOrLength));
    }
    callable().setObject(parameterName, x, sqlType, scaleOrLength);
  }

  @Override
  public void setObject(String parameterName, Object x, SQLType sqlType) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setObject(parameterName, x, sqlType));
    }
    callable().setObject(parameterName, x, sqlType);
  }

  @Override
  public void setObject(String parameterName, Object x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setObject(parameterName, x));
    }
    callable().setObject(parameterName, x);
  }

  @Override
  public void setRowId(String parameterName, RowId x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setRowId(parameterName, x));
    }
    callable().setRowId(parameterName, x);
  }

  @Override
  public void setSQLXML(String parameterName, SQLXML x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setSQLXML(parameterName, x));
    }
    callable().setSQLXML(parameterName, x);
  }

  @Override
  public void setShort(String parameterName, short x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setShort(parameterName, x));
    }
    callable().setShort(parameterName, x);
  }

  @Override
  public void setString(String parameterName, String x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setString(parameterName, x));
    }
    callable().setString(parameterName, x);
  }

  @Override
  public void setTime(String parameterName, Time x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setTime(parameterName, x, cal));
    }
    callable().setTime(parameterName, x, cal);
  }

  @Override
  public void setTime(String parameterName, Time x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setTime(parameterName, x));
    }
    callable().setTime(parameterName, x);
  }

  @Override
  public void setTimestamp(String parameterName, Timestamp x, Calendar cal) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setTimestamp(parameterName, x, cal));
    }
    callable().setTimestamp(parameterName, x, cal);
  }

  @Override
  public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setTimestamp(parameterName, x));
    }
    callable().setTimestamp(parameterName, x);
  }

  @Override
  public void setURL(String parameterName, URL x) throws SQLException {
    if (recording) {
      record(s -> ((CallableStatement) s).setURL(parameterName, x));
    }
    callable().setURL(parameterName, x);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return callable().wasNull();
  }
}
