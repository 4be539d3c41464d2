package org.appctools.aci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.hash.Hashes;
import org.appctools.tar.SafeTarReader;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;

/** Reading ACI files without extracting them: manifest, Image ID and a streaming visitor. */
public final class AciArchive {
  private AciArchive() {}

  /** Receives the entries of an archive in order. */
  @FunctionalInterface
  public interface EntryVisitor {
    /**
     * Called once per entry. {@code content} is the entry's data (read it or not; do not keep
     * it). Return false to stop reading.
     */
    boolean visit(TarItem item, InputStream content) throws IOException, AppcException;
  }

  /**
   * Streams the entries of {@code aci} to {@code visitor}. In strict mode an unsafe name fails;
   * otherwise the item carries {@link TarItem#nameProblem()}. Enforces every {@link ReadLimits}
   * bound. Returns the detected compression.
   */
  public static Compression visit(Path aci, ReadLimits limits, boolean strict,
      EntryVisitor visitor) throws AppcException {
    return visit("reading ACI", aci, limits, strict, visitor);
  }

  /** {@link #visit(Path, ReadLimits, boolean, EntryVisitor)} naming the operation in errors. */
  static Compression visit(String op, Path aci, ReadLimits limits, boolean strict,
      EntryVisitor visitor) throws AppcException {
    try (AciStreams.Opened opened = AciStreams.open(op, aci, limits);
        SafeTarReader reader = new SafeTarReader(opened.tar(), strict)) {
      long entries = 0;
      for (TarItem item = reader.next(); item != null; item = reader.next()) {
        if (++entries > limits.maxEntries()) {
          throw new ReadLimitException("more than " + limits.maxEntries()
              + " entries (limit max-entries; raise it to read a larger image)");
        }
        if (!visitor.visit(item, reader.content())) {
          return opened.compression();
        }
      }
      reader.drain(opened.tar());
      return opened.compression();
    } catch (IOException e) {
      throw AciStreams.wrap(op, aci, e);
    }
  }

  /**
   * Streams the entries of {@code aci} to {@code visitor} like {@link #visit} (lenient names),
   * reads the archive to its end and returns its Image ID, computed on the way: one pass. Every
   * raw byte of the file is also written to {@code copy} when it is not null, so the copy holds
   * the file exactly.
   */
  static String visitHashed(String op, Path aci, ReadLimits limits, OutputStream copy,
      EntryVisitor visitor) throws AppcException {
    try (AciStreams.Opened opened = AciStreams.open(op, aci, limits, copy)) {
      AciStreams.HashingInputStream hashing = new AciStreams.HashingInputStream(opened.tar());
      SafeTarReader reader = new SafeTarReader(hashing, false);
      long entries = 0;
      for (TarItem item = reader.next(); item != null; item = reader.next()) {
        if (++entries > limits.maxEntries()) {
          throw new ReadLimitException("more than " + limits.maxEntries()
              + " entries (limit max-entries; raise it to read a larger image)");
        }
        if (!visitor.visit(item, reader.content())) {
          break;
        }
      }
      reader.drain(hashing);
      if (copy != null) {
        opened.raw().transferTo(OutputStream.nullOutputStream());
      }
      return AciStreams.imageId(hashing.digest);
    } catch (IOException e) {
      throw AciStreams.wrap(op, aci, e);
    }
  }

  /**
   * What {@link #inspect} found.
   *
   * @param compression the compression of the file
   * @param imageId {@code sha512-} and the hex SHA-512 of the decompressed tar
   * @param manifest the bytes of the {@code manifest} entry, as stored
   */
  public record Inspection(Compression compression, String imageId, byte[] manifest) {}

  /**
   * Reads {@code aci} once, start to end: checks every entry as {@link AciExtractor} would
   * (nothing unsafe, nothing outside {@code manifest} and {@code rootfs/}, no duplicates, a
   * {@code manifest} and a {@code rootfs} entry), keeps the manifest bytes and computes the Image
   * ID, while writing every byte of the file to {@code copy} (when not null). The first problem
   * fails with {@code OP: ACI: entry "NAME": problem}. The manifest's content is not parsed.
   */
  public static Inspection inspect(String op, Path aci, ReadLimits limits, OutputStream copy)
      throws AppcException {
    EntryRules rules = new EntryRules();
    byte[][] manifest = new byte[1][];
    Compression compression = compression(aci);
    String id = visitHashed(op, aci, limits, copy, (item, content) -> {
      String problem = rules.check(item);
      if (problem != null) {
        throw new AppcException(op + ": " + aci + ": " + EntryRules.entryMessage(item, problem));
      }
      if (item.name().equals(EntryRules.MANIFEST)) {
        manifest[0] = readManifestBytes(aci, item, content, limits);
      }
      return true;
    });
    if (!rules.sawManifest()) {
      throw new AppcException(op + ": " + aci + ": the ACI has no manifest entry");
    }
    if (!rules.sawRootfs()) {
      throw new AppcException(op + ": " + aci + ": the ACI has no rootfs directory entry (the "
          + "spec requires one)");
    }
    return new Inspection(compression, id, manifest[0]);
  }

  /**
   * Streams the entries of {@code aci} to {@code visitor}, each first checked as {@link #inspect}
   * checks it (the first problem fails with {@code OP: ACI: entry "NAME": problem}), reads the
   * archive to its end and returns its Image ID, computed on the way: one pass for readers that
   * convert an ACI and must know the bytes they read are the image they were asked for.
   */
  public static String visitChecked(String op, Path aci, ReadLimits limits, EntryVisitor visitor)
      throws AppcException {
    EntryRules rules = new EntryRules();
    return visitHashed(op, aci, limits, null, (item, content) -> {
      String problem = rules.check(item);
      if (problem != null) {
        throw new AppcException(op + ": " + aci + ": " + EntryRules.entryMessage(item, problem));
      }
      return visitor.visit(item, content);
    });
  }

  /** The compression of an ACI file, told by its first bytes; an error if it is none we know. */
  public static Compression compression(Path aci) throws AppcException {
    try {
      Compression c = AciStreams.detect(aci);
      if (c == null) {
        throw new AppcException(aci + ": not an ACI (no gzip, bzip2, xz, zstd or tar signature)");
      }
      return c;
    } catch (IOException e) {
      throw AciStreams.wrap("reading", aci, e);
    }
  }

  /** {@link #readManifest(Path, ReadLimits)} with default limits. */
  public static byte[] readManifest(Path aci) throws AppcException {
    return readManifest(aci, ReadLimits.defaults());
  }

  /**
   * The bytes of the {@code manifest} entry. Stops as soon as it is read, so an archive written
   * with the manifest first (as {@link AciBuilder} does) is read only up to it.
   */
  public static byte[] readManifest(Path aci, ReadLimits limits) throws AppcException {
    byte[][] found = new byte[1][];
    visit("reading manifest", aci, limits, false, (item, content) -> {
      if (item.nameProblem() == null && item.name().equals(EntryRules.MANIFEST)
          && item.type() == TarEntryType.FILE) {
        found[0] = readManifestBytes(aci, item, content, limits);
        return false;
      }
      return true;
    });
    if (found[0] == null) {
      throw new AppcException("reading manifest: " + aci + ": the ACI has no manifest entry");
    }
    return found[0];
  }

  static byte[] readManifestBytes(Path aci, TarItem item, InputStream content, ReadLimits limits)
      throws IOException, AppcException {
    if (item.size() > limits.maxManifestBytes()) {
      throw new AppcException("reading manifest: " + aci + ": manifest is " + item.size()
          + " bytes, more than the limit of " + limits.maxManifestBytes()
          + " (a manifest is small JSON: this is not a genuine image)");
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream((int) item.size());
    content.transferTo(buf);
    return buf.toByteArray();
  }

  /** {@link #imageId(Path, ReadLimits)} with default limits. */
  public static String imageId(Path aci) throws AppcException {
    return imageId(aci, ReadLimits.defaults());
  }

  /**
   * The Image ID: {@code sha512-} and the lowercase hex SHA-512 of the decompressed tar stream,
   * computed while streaming (nothing is extracted or parsed).
   */
  public static String imageId(Path aci, ReadLimits limits) throws AppcException {
    String op = "computing image ID";
    try (AciStreams.Opened opened = AciStreams.open(op, aci, limits)) {
      MessageDigest digest = Hashes.sha512();
      byte[] buf = new byte[256 * 1024];
      InputStream in = opened.tar();
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        digest.update(buf, 0, n);
      }
      return AciStreams.imageId(digest);
    } catch (java.io.EOFException e) {
      throw new AppcException(op + ": " + aci + ": truncated archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw AciStreams.wrap(op, aci, e);
    }
  }
}
