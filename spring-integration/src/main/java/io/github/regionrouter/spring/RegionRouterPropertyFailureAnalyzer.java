package io.github.regionrouter.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a rejected {@code region-router.*} property into Boot's start-up failure report:
 * "property X has value Y; allowed …" as the description and the fix as the action.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegionRouterPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<RegionRouterPropertyException> {

  /** Created by Boot from {@code META-INF/spring.factories}. */
  public RegionRouterPropertyFailureAnalyzer() {
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, RegionRouterPropertyException cause) {
    String description = "property " + cause.property() + " has value " + cause.value() + "; allowed: "
        + cause.allowed();
    return new FailureAnalysis(description, "fix: " + cause.fix(), cause);
  }
}
