package org.appctools.cli.actool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "list",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image list",
      "  actool image list --fields id,name,size --sort size --order desc",
      "  actool image list --json | jq -r '.[].name'"},
    description = "List the images in the store")
final class ImageListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--fields", split = ",", paramLabel = "FIELD",
      description = "Columns to show, of id, name, importtime, lastused, size, latest (default id,name,size,importtime,lastused)")
  List<String> fields = ImageTable.DEFAULT_FIELDS;

  @Option(names = "--sort", split = ",", paramLabel = "FIELD",
      description = "Sort by these fields, of name, importtime, lastused, size (default importtime)")
  List<String> sort = List.of("importtime");

  @Option(names = "--order", paramLabel = "asc|desc", description = "Sort order (default asc)")
  String order = "asc";

  @Option(names = "--full", description = "Full IDs, sizes in bytes, times in RFC 3339")
  boolean full;

  @Option(names = "--no-legend", description = "Leave out the header line")
  boolean noLegend;

  @Option(names = "--json", description = "Print a JSON array of objects, every field with its full value: id, name, "
      + "labels (an object), importTime, lastUsed (null if never), size, latest, signed, source")
  boolean json;

  @Override
  public Integer call() throws AppcException {
    List<String> shown = names("--fields", fields, ImageTable.FIELDS);
    List<String> sortBy = names("--sort", sort, List.copyOf(ImageTable.SORTABLE));
    String o = order.toLowerCase(Locale.ROOT);
    if (!o.equals("asc") && !o.equals("desc")) {
      throw new ParameterException(spec.commandLine(), "--order: wrong sort order \"" + order + "\" (asc or desc)");
    }
    ImageTable table = new ImageTable(store.store().list());
    List<StoredImage> rows = table.sorted(sortBy, o.equals("asc"));
    spec.commandLine().getOut().print(json ? table.json(rows) + "\n"
        : table.text(rows, shown, full, noLegend, Instant.now()));
    return 0;
  }

  /** The field names, lowercased (rkt accepts any case), checked against {@code allowed}. */
  private List<String> names(String option, List<String> given, List<String> allowed) {
    List<String> out = new ArrayList<>();
    for (String f : given) {
      String l = f.toLowerCase(Locale.ROOT);
      if (!allowed.contains(l)) {
        throw new ParameterException(spec.commandLine(), option + ": unknown field \"" + f + "\" (one of "
            + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
      if (out.contains(l)) {
        throw new ParameterException(spec.commandLine(), option + ": duplicated field \"" + f + "\"");
      }
      out.add(l);
    }
    return out;
  }
}
