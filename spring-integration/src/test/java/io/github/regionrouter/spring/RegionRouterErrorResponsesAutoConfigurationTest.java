package io.github.regionrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.regionrouter.RegionUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.DispatcherServlet;

/** When the starter answers the router's failures with 503/401/403, and that the application's handlers win. */
class RegionRouterErrorResponsesAutoConfigurationTest {

  private static final AutoConfigurations ERRORS = AutoConfigurations.of(
      RegionRouterErrorResponsesAutoConfiguration.class);

  private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(ERRORS);

  @Test
  void answersTheRoutersFailures_inAServletWebApplication_withFiveSecondsRetryAfter() {
    web.run(context -> assertThat(context).getBean(RegionRouterExceptionResolver.class)
        .extracting(RegionRouterExceptionResolver::retryAfterSeconds).isEqualTo(5L));
  }

  @Test
  void takesRetryAfterFromProperties() {
    web.withPropertyValues("region-router.web.retry-after=10s").run(context ->
        assertThat(context.getBean(RegionRouterExceptionResolver.class).retryAfterSeconds()).isEqualTo(10L));
  }

  @Test
  void refusesANegativeRetryAfter_namingTheProperty() {
    web.withPropertyValues("region-router.web.retry-after=-1s").run(context ->
        assertThat(context).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
            .hasMessage("retryAfter cannot be negative: PT-1S"));
    web.withPropertyValues("region-router.web.retry-after=-1s").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("property region-router.web.retry-after has value "
            + "PT-1S; allowed: a duration of zero or more (whole seconds); fix: use a few seconds, e.g. 5s"));
  }

  @Test
  void backsOff_whenTheApplicationDefinesItsOwnResolver() {
    web.withBean("mine", RegionRouterExceptionResolver.class,
        () -> new RegionRouterExceptionResolver(Duration.ofSeconds(30), null)).run(context -> {
          assertThat(context).hasSingleBean(RegionRouterExceptionResolver.class);
          assertThat(context.getBean(RegionRouterExceptionResolver.class).retryAfterSeconds()).isEqualTo(30L);
        });
  }

  @Test
  void isOff_whenErrorResponsesAreDisabled_orTheStarterIs() {
    web.withPropertyValues("region-router.web.error-responses=false")
        .run(context -> assertThat(context).doesNotHaveBean(RegionRouterExceptionResolver.class));
    web.withPropertyValues("region-router.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RegionRouterExceptionResolver.class));
  }

  @Test
  void isOff_inANonWebApplication() {
    new ApplicationContextRunner().withConfiguration(ERRORS)
        .run(context -> assertThat(context).doesNotHaveBean(RegionRouterExceptionResolver.class));
  }

  @Test
  void isOff_withoutSpringMvc() {
    web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(context -> assertThat(context).doesNotHaveBean(RegionRouterExceptionResolver.class));
  }

  @Test
  void theApplicationsExceptionHandlersAnswerFirst_theResolverAnswersTheRest() {
    web.withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class))
        .withUserConfiguration(App.class).run(context -> {
          MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
          mvc.perform(get("/handled")).andExpect(status().isConflict())
              .andExpect(content().string("the app's own answer"));
          mvc.perform(get("/unhandled")).andExpect(status().isServiceUnavailable())
              .andExpect(header().string("Retry-After", "5"))
              .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        });
  }

  /** A controller whose failures both hold a RegionUnavailableException; the app handles one kind itself. */
  @Configuration(proxyBeanMethods = false)
  static class App {

    @Bean
    Endpoints endpoints() {
      return new Endpoints();
    }

    @Bean
    Advice advice() {
      return new Advice();
    }
  }

  @RestController
  static class Endpoints {

    @GetMapping("/handled")
    String handled() {
      throw new AppFailure(unavailable());
    }

    @GetMapping("/unhandled")
    String unhandled() {
      throw new TransientDataAccessResourceException("PreparedStatementCallback", unavailable());
    }
  }

  @RestControllerAdvice
  static class Advice {

    @ExceptionHandler(AppFailure.class)
    ResponseEntity<String> appFailure(AppFailure e) {
      return ResponseEntity.status(409).body("the app's own answer");
    }
  }

  static final class AppFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AppFailure(Throwable cause) {
      super("the app's failure", cause);
    }
  }

  private static RegionUnavailableException unavailable() {
    return new RegionUnavailableException("eu", RegionUnavailableException.Reason.NO_PRIMARY, List.of("eu-primary"),
        "region 'eu' cannot take writes", null);
  }
}
