package io.github.regionrouter.jwt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Micrometer side of {@link ConsistencyTokenCodec}'s rejection counts. In its own class so that
 * Micrometer is loaded only when a registry is given: it is an optional dependency.
 *
 * <p>Thread safety: the returned consumer is safe for concurrent use (Micrometer counters are).
 */
final class MicrometerRejections {

  private MicrometerRejections() {}

  /** Registers one counter per reason now (never on the hot path) and returns what increments them. */
  static Consumer<ConsistencyTokenCodec.Rejection> bind(MeterRegistry registry) {
    Map<ConsistencyTokenCodec.Rejection, Counter> counters = new EnumMap<>(ConsistencyTokenCodec.Rejection.class);
    for (ConsistencyTokenCodec.Rejection reason : ConsistencyTokenCodec.Rejection.values()) {
      counters.put(reason, Counter.builder(ConsistencyTokenCodec.REJECTED_METER)
          .description("Consistency tokens ignored: tampered, expired, foreign or malformed")
          .tag("reason", reason.tag())
          .register(registry));
    }
    return reason -> counters.get(reason).increment();
  }
}
