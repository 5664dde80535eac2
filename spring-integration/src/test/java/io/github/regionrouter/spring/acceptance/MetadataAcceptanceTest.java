package io.github.regionrouter.spring.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.spring.RegionRouterProperties;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The generated configuration metadata (what IDEs complete from): every {@code region-router.*} property has
 * a description, and every property that has a value when left unset shows that value as its default.
 */
class MetadataAcceptanceTest {

  @Test
  void everyPropertyHasADescription_andEveryPropertyWithAValueWhenUnsetShowsItAsDefault() throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      root = new ObjectMapper().readTree(in);
    }
    BeanWrapperImpl unset = new BeanWrapperImpl(new RegionRouterProperties());
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (JsonNode property : root.get("properties")) {
      String name = property.get("name").asString();
      if (!name.startsWith("region-router.")) {
        continue;
      }
      checked++;
      if (!property.has("description") || property.get("description").asString().isBlank()) {
        problems.add(name + ": no description");
      }
      Object value = unset.getPropertyValue(camel(name.substring("region-router.".length())));
      boolean hasValue = value != null && !(value instanceof Collection<?> c && c.isEmpty())
          && !(value instanceof Map<?, ?> m && m.isEmpty());
      if (hasValue && !property.has("defaultValue")) {
        problems.add(name + ": is " + value + " when unset, but shows no default");
      } else if (value instanceof Duration duration
          && !DurationStyle.detectAndParse(property.get("defaultValue").asString()).equals(duration)) {
        problems.add(name + ": default shown " + property.get("defaultValue") + ", bound " + duration);
      }
    }
    assertThat(checked).as("region-router properties in the metadata").isGreaterThan(40);
    assertThat(problems).isEmpty();
  }

  private static String camel(String kebab) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char ch : kebab.toCharArray()) {
      if (ch == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return out.toString();
  }
}
