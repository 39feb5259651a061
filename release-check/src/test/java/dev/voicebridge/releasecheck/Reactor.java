package dev.voicebridge.releasecheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build as its POMs describe it: the root POM, its modules, and which of them are published (a
 * module is published unless its POM sets {@code maven.deploy.skip} to true).
 */
final class Reactor {

  /** One POM file, read without namespaces so that plain XPath expressions work. */
  static final class Pom {
    final Path file;
    private final Document doc;

    Pom(Path file) {
      this.file = file;
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        this.doc = f.newDocumentBuilder().parse(file.toFile());
      } catch (Exception e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /** The trimmed text of the first node the expression selects, or "" if there is none. */
    String text(String xpath) {
      try {
        return ((String)
                XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.STRING))
            .trim();
      } catch (XPathExpressionException e) {
        throw new IllegalArgumentException(xpath, e);
      }
    }

    /** The trimmed texts of every node the expression selects. */
    List<String> texts(String xpath) {
      try {
        NodeList nodes =
            (NodeList)
                XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
          out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
      } catch (XPathExpressionException e) {
        throw new IllegalArgumentException(xpath, e);
      }
    }

    /** An attribute of the root {@code project} element, or "". */
    String projectAttribute(String name) {
      return doc.getDocumentElement().getAttribute(name);
    }

    /** An attribute of the {@code scm} element, or "". */
    String scmAttribute(String name) {
      Node scm = doc.getElementsByTagName("scm").item(0);
      return scm instanceof Element ? ((Element) scm).getAttribute(name) : "";
    }

    String artifactId() {
      return text("/project/artifactId");
    }

    String packaging() {
      String p = text("/project/packaging");
      return p.isEmpty() ? "jar" : p;
    }

    /** A property of this POM's own {@code <properties>}, if set there. */
    Optional<String> property(String name) {
      String xpath = "/project/properties/*[name()='" + name + "']";
      return texts(xpath).stream().findFirst();
    }
  }

  /** A module of the root POM. */
  static final class Module {
    final String dir;
    final Path path;
    final Pom pom;

    Module(Path root, String dir) {
      this.dir = dir;
      this.path = root.resolve(dir);
      this.pom = new Pom(path.resolve("pom.xml"));
    }

    String artifactId() {
      return pom.artifactId();
    }

    boolean published() {
      return !"true".equals(pom.property("maven.deploy.skip").orElse("false"));
    }

    boolean isJar() {
      return pom.packaging().equals("jar");
    }

    /** Whether this module's POM inherits from the root POM (the BOM deliberately does not). */
    boolean inheritsFromRoot(Pom root) {
      return pom.text("/project/parent/artifactId").equals(root.artifactId());
    }

    Path target(String fileName) {
      return path.resolve("target").resolve(fileName);
    }

    @Override
    public String toString() {
      return artifactId();
    }
  }

  final Path root;
  final Pom rootPom;
  final String version;
  final Map<String, Module> modules = new LinkedHashMap<>();

  private Reactor(Path root) {
    this.root = root;
    this.rootPom = new Pom(root.resolve("pom.xml"));
    this.version = rootPom.text("/project/version");
    for (String dir : rootPom.texts("/project/modules/module")) {
      Module m = new Module(root, dir);
      modules.put(m.artifactId(), m);
    }
  }

  /** Reads the build whose root directory the system property {@code voicebridge.root} names. */
  static Reactor read() {
    String dir = System.getProperty("voicebridge.root");
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(
          "system property voicebridge.root is not set (release-check/pom.xml sets it)");
    }
    Path root = Path.of(dir).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve(".mvn"))) {
      throw new IllegalStateException(
          root + " is not the root of the build (no pom.xml and .mvn/ there)");
    }
    return new Reactor(root);
  }

  /** Every published module with a jar (the BOM and the parent POM are published too, as POMs). */
  List<Module> publishedJars() {
    return modules.values().stream().filter(Module::published).filter(Module::isJar).toList();
  }

  List<Module> unpublished() {
    return modules.values().stream().filter(m -> !m.published()).toList();
  }

  Module bom() {
    return modules.values().stream()
        .filter(m -> m.artifactId().endsWith("-bom"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no BOM module among " + modules.keySet()));
  }

  /** The text of a file relative to the root. */
  String read(String relative) {
    try {
      return Files.readString(root.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
