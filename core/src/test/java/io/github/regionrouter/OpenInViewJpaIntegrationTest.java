package io.github.regionrouter;

import static io.github.regionrouter.Fixtures.count;
import static io.github.regionrouter.Fixtures.exec;
import static io.github.regionrouter.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.jpa.Clinic;
import io.github.regionrouter.jpa.JpaConfig;
import io.github.regionrouter.jpa.Owner;
import io.github.regionrouter.jpa.OwnerRepository;
import io.github.regionrouter.jpa.RegionHeaderFilter;
import io.github.regionrouter.jpa.WebConfig;
import io.github.regionrouter.testing.PostgresTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Issue 10 with real frameworks: Spring Data JPA + Hibernate 7 over a real EU and US region, with one
 * EntityManager (and so one routed connection) per request as open-session-in-view keeps it, and the same
 * flows over HTTP through Spring MVC on embedded Tomcat with open-in-view on. Replay of the EU replica is
 * paused where a stale read would show.
 */
class OpenInViewJpaIntegrationTest {

  private static PostgresTopology topo;
  private static Map<Integer, String> byPort;
  private static SimpleMeterRegistry registry;
  private static RegionRoutingDataSource ds;
  private static AnnotationConfigApplicationContext spring;
  private static String bootstrapLog;
  private static long euOwner;
  private static long usOwner;

  @BeforeAll
  static void start() throws Exception {
    topo = PostgresTopology.builder()
        .primary("eu-primary", "eu", "fra")
        .replica("eu-replica", "eu-primary", "fra")
        .primary("us-primary", "us", "iad")
        .start();
    byPort = Fixtures.nodesByPort(topo);
    for (String primary : new String[] {"eu-primary", "us-primary"}) {
      try (Connection c = topo.connect(primary)) {
        exec(c, "CREATE TABLE owners (id bigserial PRIMARY KEY, name text NOT NULL)");
        exec(c, "CREATE TABLE pets (id bigserial PRIMARY KEY, name text NOT NULL, owner_id bigint REFERENCES owners)");
        exec(c, "INSERT INTO owners (name) VALUES ('" + primary.substring(0, 2) + "-owner')");
      }
    }
    euOwner = 1;
    usOwner = 1;
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    registry = new SimpleMeterRegistry();
    ds = RegionRoutingDataSource.builder()
        .localLocation("fra")
        .primary("eu-primary", "eu", "fra", pool(topo, "eu-primary", "fra"))
        .replica("eu-replica", "eu", "fra", pool(topo, "eu-replica", "fra"))
        .primary("us-primary", "us", "iad", pool(topo, "us-primary", "fra"))
        .maxReplicaLag(Duration.ofSeconds(30)) // replay is paused on purpose here
        .monitorInterval(Duration.ofMillis(100))
        .meterRegistry(registry)
        .build();
    // every node answered the monitor first, so that only what the bootstrap itself logs is captured below
    Fixtures.await("every node up", Duration.ofSeconds(10),
        () -> ds.status().nodes().stream().allMatch(NodeStatus::up));
    // Hibernate logs through JBoss Logging: send it to SLF4J (slf4j-simple writes to System.err) and capture
    // everything logged while Hibernate bootstraps, with no RegionContext and no default region.
    System.setProperty("org.jboss.logging.provider", "slf4j");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      spring = new AnnotationConfigApplicationContext();
      spring.registerBean(DataSource.class, () -> ds);
      spring.register(JpaConfig.class);
      spring.refresh();
    } finally {
      System.setErr(err);
      bootstrapLog = captured.toString(StandardCharsets.UTF_8);
      System.err.print(bootstrapLog);
    }
  }

  @AfterAll
  static void stop() {
    if (spring != null) {
      spring.close();
    }
    if (ds != null) {
      ds.close();
    }
    if (topo != null) {
      topo.close();
    }
  }

  @AfterEach
  void noLeak() throws Exception {
    topo.resumeReplay("eu-replica");
    topo.awaitReplayed("eu-replica", Duration.ofSeconds(10));
    Fixtures.assertNoLeak(ds, registry);
    assertThat(RegionContext.current()).isEmpty();
  }

  @Test
  void hibernateBootstrapsWithoutADefaultRegionOrDialectProperty_withoutAWarning() {
    EntityManagerFactory emf = spring.getBean(EntityManagerFactory.class);
    assertThat(emf.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect())
        .isInstanceOf(PostgreSQLDialect.class);
    assertThat(bootstrapLog).as("bootstrap log").doesNotContain("WARN").doesNotContain("ERROR")
        .doesNotContain("UnknownRegionException");
  }

  @Test
  void oneEntityManagerPerRequest_readWriteReadLazy_withoutError_andEachStepOnTheRightNode() throws Exception {
    Clinic clinic = spring.getBean(Clinic.class);
    EntityManagerFactory emf = spring.getBean(EntityManagerFactory.class);
    long petsBefore;
    try (Connection c = topo.connect("eu-primary")) {
      petsBefore = count(c, "SELECT count(*) FROM pets WHERE owner_id = " + euOwner);
    }
    topo.pauseReplay("eu-replica");
    try (RegionContext.Scope s = RegionContext.open("eu", "osiv-user")) {
      inOneEntityManager(emf, () -> {
        Clinic.Served<Owner> owner = clinic.findOwner(euOwner);
        assertThat(node(owner.port())).as("read-only repository call").isEqualTo("eu-replica");
        Clinic.Served<Long> pet = clinic.addPet(euOwner, "Leo");
        assertThat(node(pet.port())).as("the write, in a new transaction").isEqualTo("eu-primary");
        assertThat(s.context().lastWrite()).as("recorded at commit, the EntityManager still open").isPresent();
        Clinic.Served<Long> pets = clinic.countPets(euOwner);
        assertThat(pets.value()).as("read-your-writes").isEqualTo(petsBefore + 1);
        assertThat(node(pets.port())).as("replay paused: the primary serves the writer").isEqualTo("eu-primary");
        assertThat(owner.value().getPets()).as("lazy collection, outside a transaction").hasSize((int) petsBefore + 1);
      });
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "someone-else")) {
      inOneEntityManager(emf, () -> {
        assertThat(node(clinic.findOwner(euOwner).port())).as("another subject").isEqualTo("eu-replica");
        assertThat(clinic.countPets(euOwner).value()).as("replay paused").isEqualTo(petsBefore);
      });
    }
    try (Connection c = topo.connect("us-primary")) {
      assertThat(count(c, "SELECT count(*) FROM pets WHERE name = 'Leo'")).as("no EU row in the US").isZero();
    }
  }

  @Test
  void aDerivedQueryWithoutReadOnly_afterAnotherSubjectsWrite_doesNotPinItsOwnSubject() throws Exception {
    Clinic clinic = spring.getBean(Clinic.class);
    OwnerRepository owners = spring.getBean(OwnerRepository.class);
    topo.pauseReplay("eu-replica");
    try (RegionContext.Scope s = RegionContext.open("eu", "writer")) {
      clinic.addPet(euOwner, "Max");
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "looker")) {
      assertThat(owners.findByName("eu-owner")).hasSize(1);
      assertThat(node(owners.servedPort())).as("not read-only: the primary").isEqualTo("eu-primary");
      assertThat(s.context().lastWrite()).as("a plain select is not a write").isEmpty();
    }
    try (RegionContext.Scope s = RegionContext.open("eu", "looker")) {
      assertThat(node(clinic.findOwner(euOwner).port())).as("looker is not pinned").isEqualTo("eu-replica");
    }
  }

  @Test
  void theSameFlowsOverHttp_withOpenInView_answerNo500In100MixedRequests() throws Exception {
    Path base = Files.createTempDirectory("region-router-tomcat");
    Tomcat tomcat = new Tomcat();
    AnnotationConfigWebApplicationContext web = new AnnotationConfigWebApplicationContext();
    try {
      tomcat.setBaseDir(base.toString());
      tomcat.setPort(0);
      tomcat.getConnector().setProperty("address", "127.0.0.1");
      Context ctx = tomcat.addContext("", base.toString());
      FilterDef region = new FilterDef();
      region.setFilterName("region");
      region.setFilter(new RegionHeaderFilter());
      ctx.addFilterDef(region);
      FilterMap map = new FilterMap();
      map.setFilterName("region");
      map.addURLPattern("/*");
      ctx.addFilterMap(map);
      web.setParent(spring);
      web.register(WebConfig.class);
      Tomcat.addServlet(ctx, "dispatcher", new DispatcherServlet(web)).setLoadOnStartup(1);
      ctx.addServletMappingDecoded("/", "dispatcher");
      tomcat.start();
      int port = tomcat.getConnector().getLocalPort();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Random random = new Random(7);
      int errors = 0;
      int writes = 0;
      int staleAfterWrite = 0;
      topo.pauseReplay("eu-replica");
      for (int i = 0; i < 100; i++) {
        boolean eu = random.nextInt(4) != 0;
        long owner = eu ? euOwner : usOwner;
        boolean write = random.nextInt(3) == 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/owners/" + owner
                + (write ? "/pets?name=p" + i : "")))
            .header("X-Region", eu ? "eu" : "us").header("X-Subject", "http-user-" + random.nextInt(5))
            .timeout(Duration.ofSeconds(20));
        HttpResponse<String> res = http.send(write ? req.POST(HttpRequest.BodyPublishers.noBody()).build()
            : req.GET().build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
          errors++;
          System.out.printf("HTTP %d: %s%n", res.statusCode(), res.body());
        } else if (write) {
          writes++;
          if (!res.body().startsWith("seen ")) {
            staleAfterWrite++;
          }
        }
      }
      System.out.printf("open-in-view over HTTP: 100 requests (%d add-pet flows), %d non-200, %d stale reads after "
          + "a write%n", writes, errors, staleAfterWrite);
      assertThat(errors).isZero();
      assertThat(staleAfterWrite).isZero();
      assertThat(writes).isPositive();
    } finally {
      tomcat.stop();
      tomcat.destroy();
      web.close();
      try (Stream<Path> files = Files.walk(base)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void inOneEntityManager(EntityManagerFactory emf, ThrowingRunnable work) throws Exception {
    EntityManager em = emf.createEntityManager();
    TransactionSynchronizationManager.bindResource(emf, new EntityManagerHolder(em));
    try {
      work.run();
    } finally {
      TransactionSynchronizationManager.unbindResource(emf);
      em.close();
    }
  }

  private static String node(int port) {
    return byPort.get(port);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
