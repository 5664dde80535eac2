package io.github.regionrouter.spring;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code region-router.*} properties: the whole configuration of a Boot application's routing data
 * source, JWT filter, consistency tokens and health. These classes only bind; the core builder
 * ({@code RegionRoutingDataSource.builder()}) validates, and a bad value fails start-up with a message naming
 * the property (see {@link RegionRouterPropertyException}).
 *
 * <p>Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "region-router")
public class RegionRouterProperties {

  /** Whether the starter configures anything at all. */
  private boolean enabled = true;

  /** Where this app instance runs (e.g. fra): same-location nodes are nearest before RTT is measured. */
  private String localLocation;

  /**
   * Region of connections borrowed with no region (no token on the request, start-up work). Unset: such
   * connections and requests without a token are refused; there is no lenient default.
   */
  private String defaultRegion;

  /** A replica lagging more than this gets no reads, until it is back under half of it. */
  private Duration maxReplicaLag = Duration.ofMillis(500);

  /** How long a subject that wrote reads only from nodes that have its write. */
  private Duration readYourWritesWindow = Duration.ofSeconds(5);

  /**
   * How long a pinned read may wait for a near replica to replay the subject's write instead of crossing to a
   * far primary (never longer than the primary's round trip); 0 turns the wait off.
   */
  private Duration readYourWritesWait = Duration.ofMillis(100);

  /** How often the monitor polls every node (at least 10ms). */
  private Duration monitorInterval = Duration.ofMillis(250);

  /** Replicas whose round trip is within this of the nearest one share reads. */
  private Duration latencyWindow = Duration.ofMillis(10);

  /** Connection timeout of replica pools: what a dead replica costs a read before failover (min 250ms). */
  private Duration replicaBorrowTimeout = Duration.ofSeconds(1);

  /**
   * Whether a replica connection is checked (isValid) before a read's first statement: one more round trip
   * per read, not needed since a read's failed first statement is retried on the next candidate.
   */
  private boolean validateReplicasOnBorrow = false;

  /** HikariCP settings for every node's pool (like spring.datasource.hikari.*); nodes may override. */
  @NestedConfigurationProperty
  private final PoolSettings pool = new PoolSettings();

  /** The regions by name (e.g. eu, us): each with exactly one primary, its replicas and its residency. */
  private Map<String, Region> regions = new LinkedHashMap<>();

  /** Region from a bearer JWT, when Spring Security is not verifying tokens already. */
  private final Jwt jwt = new Jwt();

  /** Signed consistency tokens: read-your-writes across app instances. */
  private final Consistency consistency = new Consistency();

  /** Health levels (Actuator groups basic, db, full and the /health/* paths). */
  private final Health health = new Health();

  /** HTTP answers to the router's failures in Spring MVC applications. */
  private final Web web = new Web();

  /** @return whether the starter is enabled */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether the starter is enabled */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return where this instance runs, or null */
  public String getLocalLocation() {
    return localLocation;
  }

  /** @param localLocation where this instance runs */
  public void setLocalLocation(String localLocation) {
    this.localLocation = localLocation;
  }

  /** @return the default region, or null for none */
  public String getDefaultRegion() {
    return defaultRegion;
  }

  /**
   * @param defaultRegion the default region; blank means none, because YAML's {@code default-region:} with
   *                      no value (DESIGN.md's example) binds as an empty string, not as null
   */
  public void setDefaultRegion(String defaultRegion) {
    this.defaultRegion = defaultRegion == null || defaultRegion.isBlank() ? null : defaultRegion;
  }

  /** @return the maximum replica lag */
  public Duration getMaxReplicaLag() {
    return maxReplicaLag;
  }

  /** @param maxReplicaLag the maximum replica lag */
  public void setMaxReplicaLag(Duration maxReplicaLag) {
    this.maxReplicaLag = maxReplicaLag;
  }

  /** @return the read-your-writes window */
  public Duration getReadYourWritesWindow() {
    return readYourWritesWindow;
  }

  /** @param readYourWritesWindow the read-your-writes window */
  public void setReadYourWritesWindow(Duration readYourWritesWindow) {
    this.readYourWritesWindow = readYourWritesWindow;
  }

  /** @return how long a pinned read may wait for a near replica */
  public Duration getReadYourWritesWait() {
    return readYourWritesWait;
  }

  /** @param readYourWritesWait how long a pinned read may wait for a near replica */
  public void setReadYourWritesWait(Duration readYourWritesWait) {
    this.readYourWritesWait = readYourWritesWait;
  }

  /** @return the monitor interval */
  public Duration getMonitorInterval() {
    return monitorInterval;
  }

  /** @param monitorInterval the monitor interval */
  public void setMonitorInterval(Duration monitorInterval) {
    this.monitorInterval = monitorInterval;
  }

  /** @return the latency window */
  public Duration getLatencyWindow() {
    return latencyWindow;
  }

  /** @param latencyWindow the latency window */
  public void setLatencyWindow(Duration latencyWindow) {
    this.latencyWindow = latencyWindow;
  }

  /** @return the replica borrow timeout */
  public Duration getReplicaBorrowTimeout() {
    return replicaBorrowTimeout;
  }

  /** @param replicaBorrowTimeout the replica borrow timeout */
  public void setReplicaBorrowTimeout(Duration replicaBorrowTimeout) {
    this.replicaBorrowTimeout = replicaBorrowTimeout;
  }

  /** @return whether replica connections are validated on borrow */
  public boolean isValidateReplicasOnBorrow() {
    return validateReplicasOnBorrow;
  }

  /** @param validateReplicasOnBorrow whether replica connections are validated on borrow */
  public void setValidateReplicasOnBorrow(boolean validateReplicasOnBorrow) {
    this.validateReplicasOnBorrow = validateReplicasOnBorrow;
  }

  /** @return the pool settings of every node */
  public PoolSettings getPool() {
    return pool;
  }

  /** @return the regions (mutable, for binding) */
  public Map<String, Region> getRegions() {
    return regions;
  }

  /** @param regions the regions */
  public void setRegions(Map<String, Region> regions) {
    this.regions = regions;
  }

  /** @return the JWT settings */
  public Jwt getJwt() {
    return jwt;
  }

  /** @return the consistency token settings */
  public Consistency getConsistency() {
    return consistency;
  }

  /** @return the health settings */
  public Health getHealth() {
    return health;
  }

  /** @return the web settings */
  public Web getWeb() {
    return web;
  }

  /** The configured role of a node. */
  public enum Role {
    /** The region's writable node; exactly one per region. */
    PRIMARY,
    /** A streaming-replication standby holding the region's data. */
    REPLICA
  }

  /** One region: its residency and its nodes. */
  public static class Region {

    /** Locations where the region's data may live and be read; a node elsewhere fails start-up. */
    private List<String> residency = new ArrayList<>();

    /** The region's nodes by name (e.g. eu-primary): role, location, url and pool overrides. */
    private Map<String, Node> nodes = new LinkedHashMap<>();

    /** @return the residency locations (empty: anywhere) */
    public List<String> getResidency() {
      return residency;
    }

    /** @param residency the residency locations */
    public void setResidency(List<String> residency) {
      this.residency = residency;
    }

    /** @return the nodes by name */
    public Map<String, Node> getNodes() {
      return nodes;
    }

    /** @param nodes the nodes by name */
    public void setNodes(Map<String, Node> nodes) {
      this.nodes = nodes;
    }
  }

  /** One node: role, location, JDBC URL, and pool settings overriding {@code region-router.pool.*}. */
  public static class Node extends PoolSettings {

    /** primary or replica. */
    private Role role;

    /** Where the node runs (e.g. fra); must be in the region's residency when that is set. */
    private String location;

    /** JDBC URL of the node (jdbc:postgresql://host:port/db); the monitor connects with it too. */
    private String url;

    /** @return the role, or null when unset */
    public Role getRole() {
      return role;
    }

    /** @param role the role */
    public void setRole(Role role) {
      this.role = role;
    }

    /** @return the location, or null when unset */
    public String getLocation() {
      return location;
    }

    /** @param location the location */
    public void setLocation(String location) {
      this.location = location;
    }

    /** @return the JDBC URL, or null when unset */
    public String getUrl() {
      return url;
    }

    /** @param url the JDBC URL */
    public void setUrl(String url) {
      this.url = url;
    }
  }

  /** The region from a bearer JWT verified by the starter's own filter (when Security does not verify). */
  public static class Jwt {

    /** Accepted signature algorithms (e.g. RS256, ES256, HS256); "none" is never accepted. */
    private List<String> algorithms = new ArrayList<>();

    /** Where the issuer's public keys are (a JWK set; https, loopback excepted). */
    private URI jwksUri;

    /** Base64 HMAC secret for HS256/384/512 (at least 32/48/64 bytes). */
    private String hmacSecret;

    /** Required iss claim; unset: not checked. */
    private String issuer;

    /** Accepted aud values; the token must name one. Empty: not checked. */
    private List<String> audiences = new ArrayList<>();

    /** The claim that names the caller's region. */
    private String regionClaim = "region";

    /** Maps claim values to regions (e.g. EU: eu); with a mapping, unmapped values are refused (403). */
    private Map<String, String> regionMapping = new LinkedHashMap<>();

    /** Allowed clock skew for exp and nbf. */
    private Duration clockSkew = Duration.ofSeconds(60);

    /**
     * Servlet URL patterns the filter applies to (/*, /api/*, *.json; not Ant patterns such as /api/**);
     * Actuator and /health/* are always left out.
     */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /** Realm named in WWW-Authenticate challenges; unset: none. */
    private String realm;

    /** @return the algorithms */
    public List<String> getAlgorithms() {
      return algorithms;
    }

    /** @param algorithms the algorithms */
    public void setAlgorithms(List<String> algorithms) {
      this.algorithms = algorithms;
    }

    /** @return the JWKS URI, or null */
    public URI getJwksUri() {
      return jwksUri;
    }

    /** @param jwksUri the JWKS URI */
    public void setJwksUri(URI jwksUri) {
      this.jwksUri = jwksUri;
    }

    /** @return the base64 HMAC secret, or null */
    public String getHmacSecret() {
      return hmacSecret;
    }

    /** @param hmacSecret the base64 HMAC secret */
    public void setHmacSecret(String hmacSecret) {
      this.hmacSecret = hmacSecret;
    }

    /** @return the issuer, or null */
    public String getIssuer() {
      return issuer;
    }

    /** @param issuer the issuer */
    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    /** @return the audiences */
    public List<String> getAudiences() {
      return audiences;
    }

    /** @param audiences the audiences */
    public void setAudiences(List<String> audiences) {
      this.audiences = audiences;
    }

    /** @return the region claim name */
    public String getRegionClaim() {
      return regionClaim;
    }

    /** @param regionClaim the region claim name */
    public void setRegionClaim(String regionClaim) {
      this.regionClaim = regionClaim;
    }

    /** @return the claim value to region mapping */
    public Map<String, String> getRegionMapping() {
      return regionMapping;
    }

    /** @param regionMapping the claim value to region mapping */
    public void setRegionMapping(Map<String, String> regionMapping) {
      this.regionMapping = regionMapping;
    }

    /** @return the clock skew */
    public Duration getClockSkew() {
      return clockSkew;
    }

    /** @param clockSkew the clock skew */
    public void setClockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
    }

    /** @return the URL patterns */
    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    /** @param urlPatterns the URL patterns */
    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }

    /** @return the realm, or null */
    public String getRealm() {
      return realm;
    }

    /** @param realm the realm */
    public void setRealm(String realm) {
      this.realm = realm;
    }

    /** Whether the starter's own JWT verification is configured at all. */
    boolean isConfigured() {
      return !algorithms.isEmpty() || jwksUri != null || hmacSecret != null;
    }
  }

  /** Signed consistency tokens (rule 5): off unless a signing key is set. */
  public static class Consistency {

    /**
     * Base64 HMAC keys (at least 32 bytes) by key id. The first signs; all verify (rotation: put the new key
     * first and keep the old one for one read-your-writes window). The same on every instance.
     */
    private Map<String, String> signingKeys = new LinkedHashMap<>();

    /** Also send the token as a short-lived HttpOnly, SameSite=Lax cookie (browsers, redirects). */
    private boolean cookie = false;

    /** Path of the cookie: the prefix of the paths whose reads must see the write. */
    private String cookiePath = "/";

    /** Name of the request and response header carrying the token. */
    private String header = "X-Region-Consistency";

    /** @return the signing keys by id */
    public Map<String, String> getSigningKeys() {
      return signingKeys;
    }

    /** @param signingKeys the signing keys by id */
    public void setSigningKeys(Map<String, String> signingKeys) {
      this.signingKeys = signingKeys;
    }

    /** @return whether the cookie is sent too */
    public boolean isCookie() {
      return cookie;
    }

    /** @param cookie whether the cookie is sent too */
    public void setCookie(boolean cookie) {
      this.cookie = cookie;
    }

    /** @return the cookie path */
    public String getCookiePath() {
      return cookiePath;
    }

    /** @param cookiePath the cookie path */
    public void setCookiePath(String cookiePath) {
      this.cookiePath = cookiePath;
    }

    /** @return the header name */
    public String getHeader() {
      return header;
    }

    /** @param header the header name */
    public void setHeader(String header) {
      this.header = header;
    }
  }

  /** Health levels. */
  public static class Health {

    /** The db level is DOWN once a replica has been over max-replica-lag for longer than this. */
    private Duration lagGrace = Duration.ofSeconds(60);

    /** The full level is DOWN when more than this many nodes or dependencies are failing. */
    private int fullMaxFailing = 2;

    /** Whether /health/basic, /health/db and /health/full are served on the main server. */
    private boolean paths = true;

    /** @return the lag grace */
    public Duration getLagGrace() {
      return lagGrace;
    }

    /** @param lagGrace the lag grace */
    public void setLagGrace(Duration lagGrace) {
      this.lagGrace = lagGrace;
    }

    /** @return the full level's failing limit */
    public int getFullMaxFailing() {
      return fullMaxFailing;
    }

    /** @param fullMaxFailing the full level's failing limit */
    public void setFullMaxFailing(int fullMaxFailing) {
      this.fullMaxFailing = fullMaxFailing;
    }

    /** @return whether the /health/* paths are served */
    public boolean isPaths() {
      return paths;
    }

    /** @param paths whether the /health/* paths are served */
    public void setPaths(boolean paths) {
      this.paths = paths;
    }
  }

  /** HTTP answers to the router's failures (Spring MVC). */
  public static class Web {

    /**
     * Whether requests failing because a region is unavailable or a subject is being moved answer 503 with
     * Retry-After, a request without a region 401/403, each with a problem+json body (instead of 500).
     */
    private boolean errorResponses = true;

    /**
     * Retry-After of those 503 answers (whole seconds). The router sees a primary come back, or a promoted
     * replica, within about ten monitor intervals (2.5s at the default 250ms: a down node is polled with back-off); a migration batch takes seconds.
     */
    private Duration retryAfter = Duration.ofSeconds(5);

    /** @return whether the error responses are on */
    public boolean isErrorResponses() {
      return errorResponses;
    }

    /** @param errorResponses whether the error responses are on */
    public void setErrorResponses(boolean errorResponses) {
      this.errorResponses = errorResponses;
    }

    /** @return the Retry-After of 503 answers */
    public Duration getRetryAfter() {
      return retryAfter;
    }

    /** @param retryAfter the Retry-After of 503 answers */
    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }
  }
}
