package io.github.regionrouter.spring.acceptance;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application a Boot user writes: an entity, a repository, a service and a controller. Everything of
 * region-router comes from {@code application-design.yml} (DESIGN.md's example).
 */
@SpringBootApplication
public class AcceptanceApp {
}
