package io.github.regionrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the documentation honest: every {@code ```java} block of README.md and docs/*.md is a complete
 * compilation unit that compiles, as written, against the published modules (this module's test classpath
 * holds all of them). A block that is meant as an excerpt is fenced {@code ```java excerpt} and skipped.
 */
class ReadmeJavaBlocksTest {

  private static final Pattern BLOCK = Pattern.compile("(?ms)^```java[ \\t]*\\n(.*?)^```[ \\t]*$");
  private static final Pattern TYPE = Pattern.compile(
      "(?m)^(?:public\\s+)?(?:final\\s+|abstract\\s+)?(?:class|record|interface|enum)\\s+(\\w+)");

  @TempDir
  Path out;

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    Path root = projectRoot();
    List<Path> documents = new ArrayList<>();
    documents.add(root.resolve("README.md"));
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> files = Files.list(docs)) {
        files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
      }
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path document : documents) {
      String text = Files.readString(document, StandardCharsets.UTF_8);
      Matcher m = BLOCK.matcher(text);
      int n = 0;
      while (m.find()) {
        n++;
        int line = text.substring(0, m.start()).split("\n", -1).length;
        String source = m.group(1);
        String name = root.relativize(document) + " block " + n + " (line " + line + ")";
        tests.add(DynamicTest.dynamicTest(name, () -> assertCompiles(name, source)));
      }
    }
    assertThat(tests).as("java blocks found in README.md and docs/").isNotEmpty();
    return tests.stream();
  }

  private void assertCompiles(String name, String source) throws IOException {
    Matcher type = TYPE.matcher(source);
    assertThat(type.find()).as(name + " declares a top-level type (a complete, copy-paste compilation unit)")
        .isTrue();
    Path dir = Files.createTempDirectory(out, "block");
    Path file = dir.resolve(type.group(1) + ".java");
    Files.writeString(file, source, StandardCharsets.UTF_8);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
          "-d", dir.toString(), "-proc:none", "-Xlint:none", "--release", "17");
      boolean ok = javac.getTask(new StringWriter(), files, diagnostics, options, null,
          files.getJavaFileObjects(file)).call();
      StringBuilder errors = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.append("\n  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
        }
      }
      assertThat(ok).as(name + " compiles; errors:" + errors).isTrue();
    }
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the project root (the folder holding mvnw) above " + Path.of("").toAbsolutePath())
        .isNotNull();
    return dir;
  }
}
