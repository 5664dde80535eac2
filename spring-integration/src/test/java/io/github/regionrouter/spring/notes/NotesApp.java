package io.github.regionrouter.spring.notes;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A small Boot application as a user would write it with the starter: entities, a repository, a service, a
 * controller, {@code @Async} — and no region-router {@code @Bean}: everything comes from properties.
 */
@SpringBootApplication
@EnableAsync
public class NotesApp {
}
