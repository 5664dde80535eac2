package io.github.regionrouter.spring;

import java.util.Objects;

/**
 * A {@code region-router.*} property the core builder rejected, attributed to the property: what it is, the
 * value it has, what is allowed and how to fix it. Start-up fails with it, and
 * {@link RegionRouterPropertyFailureAnalyzer} prints it as Boot's "APPLICATION FAILED TO START" report.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegionRouterPropertyException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String property;
  private final String value;
  private final String allowed;
  private final String fix;

  /**
   * @param property the full property name, e.g. {@code region-router.max-replica-lag}
   * @param value    the bound value as the user wrote it (a secret is masked), or {@code (unset)}
   * @param allowed  what values are allowed
   * @param fix      what to do
   * @param cause    the builder's exception, or null
   */
  public RegionRouterPropertyException(String property, String value, String allowed, String fix,
      Throwable cause) {
    super("property " + property + " has value " + value + "; allowed: " + allowed + "; fix: " + fix, cause);
    this.property = Objects.requireNonNull(property, "property");
    this.value = Objects.requireNonNull(value, "value");
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.fix = Objects.requireNonNull(fix, "fix");
  }

  /** @return the full property name */
  public String property() {
    return property;
  }

  /** @return the value as bound (masked for secrets) */
  public String value() {
    return value;
  }

  /** @return what is allowed */
  public String allowed() {
    return allowed;
  }

  /** @return how to fix it */
  public String fix() {
    return fix;
  }
}
