package org.appctools.cli.actool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.appctools.schema.types.Label;
import org.appctools.store.StoredImage;

/**
 * How {@code actool image list} shows images: rkt's columns (IDs shortened, sizes and times made
 * human unless full), or a JSON array with stable field names.
 */
final class ImageTable {
  /** The columns, in rkt's names. */
  static final List<String> FIELDS = List.of("id", "name", "importtime", "lastused", "size", "latest");
  /** rkt's default columns. */
  static final List<String> DEFAULT_FIELDS = List.of("id", "name", "size", "importtime", "lastused");
  /** The fields one can sort by, as in rkt. */
  static final Set<String> SORTABLE = Set.of("name", "importtime", "lastused", "size");
  /** Hex digits of an ID shown without --full. */
  static final int SHORT_ID_DIGITS = 32;

  private static final Map<String, String> HEADERS = Map.of("id", "ID", "name", "NAME", "importtime", "IMPORT TIME",
      "lastused", "LAST USED", "size", "SIZE", "latest", "LATEST");

  private final List<StoredImage> images;
  private final Map<String, StoredImage> newestByName = new HashMap<>();

  ImageTable(List<StoredImage> images) {
    this.images = images;
    for (StoredImage i : images) {
      newestByName.merge(i.name().value(), i, (a, b) -> b.importTime().isAfter(a.importTime()) ? b : a);
    }
  }

  /** The images sorted by {@code fields} (in order), ascending or descending. */
  List<StoredImage> sorted(List<String> fields, boolean ascending) {
    Comparator<StoredImage> c = null;
    for (String f : fields) {
      Comparator<StoredImage> next = switch (f) {
        case "name" -> Comparator.comparing(StoredImage::nameAndVersion);
        case "lastused" -> Comparator.comparing(ImageTable::lastUse);
        case "size" -> Comparator.comparingLong(StoredImage::size);
        default -> Comparator.comparing(StoredImage::importTime);
      };
      c = c == null ? next : c.thenComparing(next);
    }
    List<StoredImage> out = new ArrayList<>(images);
    if (c != null) {
      out.sort(ascending ? c : c.reversed());
    }
    return out;
  }

  /** Whether {@code i} is the newest import of its name (what the name alone resolves to). */
  boolean latest(StoredImage i) {
    return newestByName.get(i.name().value()) == i;
  }

  /** Aligned columns, a header line first unless {@code noLegend}. */
  String text(List<StoredImage> rows, List<String> fields, boolean full, boolean noLegend, Instant now) {
    List<List<String>> lines = new ArrayList<>();
    if (!noLegend) {
      lines.add(fields.stream().map(HEADERS::get).toList());
    }
    for (StoredImage i : rows) {
      List<String> cells = new ArrayList<>();
      for (String f : fields) {
        cells.add(switch (f) {
          case "id" -> full ? i.id().value() : "sha512-" + i.id().hex().substring(0, SHORT_ID_DIGITS);
          case "name" -> i.nameAndVersion();
          case "importtime" -> full ? i.importTime().toString() : ago(i.importTime(), now);
          case "lastused" -> i.lastUsed() == null ? "never" : full ? i.lastUsed().toString() : ago(i.lastUsed(), now);
          case "size" -> full ? Long.toString(i.size()) : bytes(i.size());
          default -> Boolean.toString(latest(i));
        });
      }
      lines.add(cells);
    }
    int[] widths = new int[fields.size()];
    for (List<String> l : lines) {
      for (int c = 0; c < l.size(); c++) {
        widths[c] = Math.max(widths[c], l.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> l : lines) {
      for (int c = 0; c < l.size(); c++) {
        sb.append(l.get(c));
        if (c < l.size() - 1) {
          sb.append(" ".repeat(widths[c] - l.get(c).length() + 2));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * A JSON array, one object per image: id, name, labels (object), importTime, lastUsed (RFC 3339
   * or null), size (bytes), latest, signed, source.
   */
  String json(List<StoredImage> rows) {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (StoredImage i : rows) {
      ObjectNode o = array.addObject();
      o.put("id", i.id().value());
      o.put("name", i.name().value());
      ObjectNode labels = o.putObject("labels");
      for (Label l : i.labels().list()) {
        labels.put(l.name().value(), l.value());
      }
      o.put("importTime", i.importTime().toString());
      o.put("lastUsed", i.lastUsed() == null ? null : i.lastUsed().toString());
      o.put("size", i.size());
      o.put("latest", latest(i));
      o.put("signed", i.signed());
      o.put("source", i.source());
    }
    try {
      return mapper.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the image list", e);
    }
  }

  private static Instant lastUse(StoredImage i) {
    return i.lastUsed() != null ? i.lastUsed() : i.importTime();
  }

  /** "now", "1 minute ago", "3 hours ago", "2 weeks ago": go-humanize's relative time. */
  static String ago(Instant then, Instant now) {
    long s = Duration.between(then, now).getSeconds();
    if (s < 1) {
      return "now";
    }
    long[] sizes = {365L * 86400, 30L * 86400, 7L * 86400, 86400, 3600, 60, 1};
    String[] units = {"year", "month", "week", "day", "hour", "minute", "second"};
    for (int u = 0; u < sizes.length; u++) {
      if (s >= sizes[u]) {
        long n = s / sizes[u];
        return n + " " + units[u] + (n == 1 ? "" : "s") + " ago";
      }
    }
    return "now";
  }

  /** "512 B", "1.5 KiB", "20 MiB": go-humanize's IBytes. */
  static String bytes(long n) {
    if (n < 10) {
      return n + " B";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int e = (int) Math.floor(Math.log(n) / Math.log(1024));
    double value = Math.floor(n / Math.pow(1024, e) * 10 + 0.5) / 10;
    return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[e]);
  }
}
