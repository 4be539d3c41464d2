package org.appctools.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.appctools.aci.EntryOwner;
import org.appctools.json.JsonTrees;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.tar.TarEntryType;

/**
 * The JSON of the store's files: image records, remote entries, tree markers and tree owners. Field names
 * are fixed; times are RFC 3339 in UTC; a missing optional value is {@code null}.
 */
final class Records {
  private Records() {}

  /** The marker of a complete rendered tree: its image, its layers top first, its checksum. */
  record Tree(ImageId image, List<ImageId> layers, String checksum) {}

  static byte[] image(StoredImage i) {
    ObjectNode o = JsonTrees.object();
    o.put("id", i.id().value());
    o.put("name", i.name().value());
    ArrayNode labels = o.putArray("labels");
    for (Label l : i.labels().list()) {
      labels.addObject().put("name", l.name().value()).put("value", l.value());
    }
    o.put("importTime", i.importTime().toString());
    o.put("lastUsed", i.lastUsed() == null ? null : i.lastUsed().toString());
    o.put("size", i.size());
    o.put("source", i.source());
    o.put("signed", i.signed());
    return bytes(o);
  }

  static StoredImage image(byte[] json) throws IOException {
    JsonNode o = read(json);
    try {
      return new StoredImage(ImageId.parse(text(o, "id")), AcIdentifier.parse(text(o, "name")),
          labels(o.path("labels")),
          Instant.parse(text(o, "importTime")), instant(o, "lastUsed"), o.path("size").asLong(),
          optionalText(o, "source"), o.path("signed").asBoolean());
    } catch (InvalidValueException | java.time.format.DateTimeParseException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static byte[] remote(RemoteEntry r) {
    ObjectNode o = JsonTrees.object();
    o.put("url", r.url());
    o.put("imageId", r.imageId().value());
    o.put("etag", r.etag());
    o.put("downloaded", r.downloaded().toString());
    o.put("expires", r.expires() == null ? null : r.expires().toString());
    return bytes(o);
  }

  static RemoteEntry remote(byte[] json) throws IOException {
    JsonNode o = read(json);
    try {
      return new RemoteEntry(text(o, "url"), ImageId.parse(text(o, "imageId")),
          optionalText(o, "etag"), Instant.parse(text(o, "downloaded")), instant(o, "expires"));
    } catch (InvalidValueException | java.time.format.DateTimeParseException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static byte[] tree(Tree t) {
    ObjectNode o = JsonTrees.object();
    o.put("image", t.image().value());
    ArrayNode layers = o.putArray("layers");
    t.layers().forEach(l -> layers.add(l.value()));
    o.put("checksum", t.checksum());
    return bytes(o);
  }

  static Tree tree(byte[] json) throws IOException {
    JsonNode o = read(json);
    try {
      List<ImageId> layers = new ArrayList<>();
      for (JsonNode l : o.path("layers")) {
        layers.add(ImageId.parse(l.asText()));
      }
      return new Tree(ImageId.parse(text(o, "image")), layers, text(o, "checksum"));
    } catch (InvalidValueException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The owners of a tree rendered as an unprivileged user: {@code {"owners": [{path, type, uid, gid, mode}]}}. */
  static byte[] owners(List<EntryOwner> owners) {
    ObjectNode o = JsonTrees.object();
    ArrayNode list = o.putArray("owners");
    for (EntryOwner e : owners) {
      list.addObject().put("path", e.path()).put("type", e.type().name()).put("uid", e.uid()).put("gid", e.gid())
          .put("mode", e.mode());
    }
    return bytes(o);
  }

  static List<EntryOwner> owners(byte[] json) throws IOException {
    JsonNode o = read(json);
    List<EntryOwner> owners = new ArrayList<>();
    for (JsonNode e : o.path("owners")) {
      TarEntryType type;
      try {
        type = TarEntryType.valueOf(text(e, "type"));
      } catch (IllegalArgumentException ex) {
        throw new IOException("unknown entry type " + e.get("type"), ex);
      }
      if (!e.path("uid").canConvertToLong() || !e.path("gid").canConvertToLong() || !e.path("mode").canConvertToInt()) {
        throw new IOException("entry " + e.get("path") + ": uid, gid or mode is not a number");
      }
      owners.add(new EntryOwner(text(e, "path"), type, e.get("uid").asLong(), e.get("gid").asLong(), e.get("mode").asInt()));
    }
    return owners;
  }

  private static Labels labels(JsonNode list) throws IOException {
    List<Label> labels = new ArrayList<>();
    for (JsonNode l : list) {
      labels.add(new Label(AcIdentifier.parse(text(l, "name")), text(l, "value")));
    }
    return Labels.of(labels);
  }

  private static JsonNode read(byte[] json) throws IOException {
    JsonNode o = JsonTrees.read(json);
    if (!o.isObject()) {
      throw new IOException("not a JSON object");
    }
    return o;
  }

  private static String text(JsonNode o, String field) throws IOException {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("field \"" + field + "\" is missing");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode o, String field) {
    String s = optionalText(o, field);
    return s == null ? null : Instant.parse(s);
  }

  private static byte[] bytes(ObjectNode o) {
    return JsonTrees.write(o);
  }
}
