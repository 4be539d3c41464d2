package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.cli.common.ErrorLine;
import org.appctools.aci.AciValidator;
import org.appctools.aci.AciValidator.FileType;
import org.appctools.schema.ManifestCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool validate app.aci",
      "  actool validate --type manifest manifest.json",
      "  actool validate --json ./layout"},
    description = {
      "Validate that one or more images or manifests meet the AppContainer specification",
      "",
      "Prints every problem of a file on stderr and one verdict line per file on stdout; "
          + "exits 1 if any file is invalid."
    })
final class ValidateCommand implements Callable<Integer> {
  /** The --type values of the Go actool. */
  enum Type {
    appimage(FileType.IMAGE), layout(FileType.LAYOUT), manifest(FileType.MANIFEST);

    final FileType fileType;

    Type(FileType fileType) {
      this.fileType = fileType;
    }
  }

  /** A manifest file larger than this is not a manifest. */
  private static final long MAX_MANIFEST_FILE = 1 << 20;

  @Spec CommandSpec spec;

  @Mixin ReadLimitOptions readLimits;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Type of file to validate: ${COMPLETION-CANDIDATES}. If unset, actool detects it.")
  Type type;

  @Option(names = "--json", description = "Print a JSON array of objects, one a file: file, type (\"image layout\", "
      + "\"app container image\", \"ImageManifest\", \"PodManifest\", \"manifest\" or \"file\"), valid (true or false), "
      + "errors and warnings (arrays of strings); nothing on stderr")
  boolean json;

  @Parameters(paramLabel = "FILE", arity = "1..*")
  List<Path> files;

  @Override
  public Integer call() {
    int exit = 0;
    ArrayNode results = new ObjectMapper().createArrayNode();
    for (Path file : files) {
      if (!validateOne(file, json ? results.addObject() : null)) {
        exit = Actool.EXIT_FAILURE;
      }
    }
    if (json) {
      spec.commandLine().getOut().println(results);
    }
    return exit;
  }

  /** Validates one file and prints the verdict, or puts it in {@code result} (JSON) when not null. */
  private boolean validateOne(Path file, ObjectNode result) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String what = "file";
    List<String> errors;
    List<String> warnings = List.of();
    try {
      if (!Files.exists(file)) {
        throw new AppcException("no such file or directory");
      }
      FileType ft = type != null ? type.fileType : AciValidator.detect(file);
      if (Files.isDirectory(file) != (ft == FileType.LAYOUT)) {
        throw new AppcException(file + (ft == FileType.LAYOUT ? " is not a directory" : " is a directory") + " (wrong --type?)");
      }
      switch (ft) {
        case LAYOUT -> {
          what = "image layout";
          AciValidator.Report r = AciValidator.validateLayout(file);
          errors = r.errors();
          warnings = r.warnings();
        }
        case IMAGE -> {
          what = "app container image";
          AciValidator.Report r = AciValidator.validateImage(file, readLimits.limits());
          errors = r.errors();
          warnings = r.warnings();
        }
        default -> {
          ManifestCheck.Findings f = ManifestCheck.check(readManifestFile(file));
          what = f.kind() == null ? "manifest" : f.kind();
          errors = f.errors();
          warnings = f.warnings();
        }
      }
    } catch (AppcException e) {
      // the verdict lines name the file already
      String m = e.getMessage();
      String named = "validate: " + file + ": ";
      errors = List.of(m.startsWith(named) ? m.substring(named.length()) : m);
    }
    if (result != null) {
      result.put("file", file.toString());
      result.put("type", what);
      result.put("valid", errors.isEmpty());
      errors.forEach(result.putArray("errors")::add);
      warnings.forEach(result.putArray("warnings")::add);
      return errors.isEmpty();
    }
    for (String w : warnings) {
      err.println(file + ": warning: " + w);
    }
    for (String e : errors) {
      ErrorLine.print(err, file + ": " + e);
    }
    if (errors.isEmpty()) {
      out.println(file + ": valid " + what);
    } else {
      out.println(file + ": invalid " + what + " (" + errors.size() + (errors.size() == 1 ? " error)" : " errors)"));
    }
    return errors.isEmpty();
  }

  private static byte[] readManifestFile(Path file) throws AppcException {
    try {
      if (Files.size(file) > MAX_MANIFEST_FILE) {
        throw new AppcException("larger than " + MAX_MANIFEST_FILE + " bytes: not a manifest (try --type)");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AppcException("unable to read: " + e.getMessage(), e);
    }
  }
}
