package org.appctools.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.aci.ReadLimits;
import org.appctools.compress.Compression;
import org.appctools.hash.Hashes;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarMeta;
import org.appctools.tar.TarNames;

/**
 * One layer: the {@code rootfs/} entries of an ACI written as a tar of the root filesystem
 * ({@code rootfs/} taken off every name and hard link target, the {@code rootfs} entry itself and
 * the manifest left out), in the ACI's order, with the ACI's modes, owners, mtimes, xattrs and
 * device numbers, through the project's one tar writer; entries the whitelists exclude are left
 * out as the renderer leaves them out. appc images never delete, so there are no whiteouts.
 */
final class LayerTar {
  /**
   * A written layer.
   *
   * @param diffId the sha256 digest of the uncompressed tar
   * @param imageId the Image ID of the ACI that was read
   */
  record Written(String diffId, String imageId) {}

  private LayerTar() {}

  /** Writes the uncompressed layer of {@code layer} to {@code tarFile}. */
  static Written write(ExportSource.Layer layer, Path tarFile, ReadLimits limits)
      throws AppcException {
    String op = "export";
    MessageDigest sha256 = Hashes.sha256();
    String id;
    try (OutputStream file = Files.newOutputStream(tarFile);
        ReproducibleTarWriter tar = new ReproducibleTarWriter(new BufferedOutputStream(
            new DigestOutputStream(file, sha256), 256 * 1024))) {
      id = AciArchive.visitChecked(op, layer.aci(), limits, (item, content) -> {
        if (keep(item, layer)) {
          try {
            copy(tar, item, content);
          } catch (IllegalArgumentException e) {
            // a directory after its own children, or a hard link to a file a whitelist left out
            throw new AppcException(op + ": " + layer.aci() + ": entry \"" + item.rawName()
                + "\" cannot go into a layer: " + e.getMessage(), e);
          }
        }
        return true;
      });
    } catch (IOException e) {
      throw new AppcException(op + ": writing the layer of " + layer.title() + ": "
          + e.getMessage(), e);
    }
    if (layer.id() != null && !layer.id().value().equals(id)) {
      throw new AppcException(op + ": image " + layer.title() + " in the store does not hash to "
          + "its ID " + layer.id() + " (it hashes to " + id + "): the stored copy is damaged; "
          + "remove it with actool image rm " + layer.id() + " and fetch it again");
    }
    return new Written("sha256:" + java.util.HexFormat.of().formatHex(sha256.digest()), id);
  }

  /** gzips {@code tarFile} into {@code blobFile}; returns the sha256 digest of the gzip bytes. */
  static String gzip(Path tarFile, Path blobFile) throws AppcException {
    MessageDigest sha256 = Hashes.sha256();
    try (InputStream in = Files.newInputStream(tarFile);
        OutputStream out = Compression.GZIP.compress(new DigestOutputStream(
            Files.newOutputStream(blobFile), sha256))) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new AppcException("export: compressing a layer into " + blobFile + ": "
          + e.getMessage(), e);
    }
    return "sha256:" + java.util.HexFormat.of().formatHex(sha256.digest());
  }

  /** The renderer's rules ({@code Renderer.accept}), for the entries of the root filesystem. */
  static boolean keep(TarItem item, ExportSource.Layer layer) {
    String name = item.name();
    if (!name.startsWith("rootfs/")) {
      return false;
    }
    if (layer.ownWhitelist() != null && item.type() != TarEntryType.DIRECTORY
        && !layer.ownWhitelist().contains(name)) {
      return false;
    }
    return layer.ancestorWhitelist() == null || layer.ancestorWhitelist().contains(name);
  }

  private static void copy(ReproducibleTarWriter tar, TarItem item, InputStream content)
      throws IOException, AppcException {
    String name = item.name().substring("rootfs/".length());
    TarMeta meta = TarMeta.of(item.mode(), item.uid(), item.gid(), item.mtime())
        .withXattrs(item.xattrs());
    switch (item.type()) {
      case DIRECTORY -> tar.directory(name, meta);
      case FILE -> tar.file(name, meta, item.size(), content);
      case SYMLINK -> tar.symlink(name, meta, item.linkName());
      case HARDLINK -> {
        String target = TarNames.clean(item.linkName());
        if (!target.startsWith("rootfs/")) {
          throw new AppcException("export: hard link \"" + item.rawName() + "\" points outside "
              + "rootfs/ (to \"" + item.linkName() + "\")");
        }
        tar.hardlink(name, meta, target.substring("rootfs/".length()));
      }
      case CHAR_DEVICE -> tar.charDevice(name, meta, item.devMajor(), item.devMinor());
      case BLOCK_DEVICE -> tar.blockDevice(name, meta, item.devMajor(), item.devMinor());
      case FIFO -> tar.fifo(name, meta);
      default -> throw new AppcException("export: entry \"" + item.rawName() + "\" is of a type "
          + "a layer cannot hold");
    }
  }
}
