package org.appctools.docker;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.hash.Hashes;

/** Content digests ({@code sha256:HEX}, {@code sha512:HEX}) of OCI and Docker blobs. */
public final class Digests {
  private static final Pattern DIGEST = Pattern.compile("(sha256:[a-f0-9]{64})|(sha512:[a-f0-9]{128})");

  private Digests() {}

  /** Whether {@code digest} is a sha256 or sha512 digest this tool can verify. */
  public static boolean isValid(String digest) {
    return digest != null && DIGEST.matcher(digest).matches();
  }

  /** The path of a blob in an OCI layout: {@code blobs/ALGORITHM/HEX}. */
  static String blobPath(String digest) throws AppcException {
    check(digest);
    int colon = digest.indexOf(':');
    return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
  }

  /** Fails unless {@code digest} is a sha256 or sha512 digest. */
  public static void check(String digest) throws AppcException {
    if (!isValid(digest)) {
      throw new AppcException("unsupported or malformed digest \"" + digest
          + "\" (expected sha256:HEX or sha512:HEX)");
    }
  }

  /** A new message digest for the algorithm of {@code digest}. */
  public static MessageDigest newDigest(String digest) throws AppcException {
    check(digest);
    return digest.startsWith("sha256:") ? Hashes.sha256() : Hashes.sha512();
  }

  /** {@code ALGORITHM:HEX} of what {@code md} has seen. */
  public static String format(MessageDigest md) {
    String alg = md.getAlgorithm().equals("SHA-256") ? "sha256" : "sha512";
    return alg + ":" + HexFormat.of().formatHex(md.digest());
  }

  /** The sha256 digest of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails unless {@code bytes} have the digest {@code expected}; {@code what} names them. */
  public static void verify(String what, byte[] bytes, String expected) throws AppcException {
    MessageDigest md = newDigest(expected);
    md.update(bytes);
    String actual = format(md);
    if (!actual.equals(expected)) {
      throw mismatch(what, expected, actual);
    }
  }

  static AppcException mismatch(String what, String expected, String actual) {
    return new AppcException(what + " does not match its digest: expected " + expected
        + ", got " + actual + " (corrupt or tampered; fetch it again)");
  }

  /**
   * Hashes what is read through it; {@link #verify()} at the end compares with the expected
   * digest.
   */
  static final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest md;
    private final String expected;
    private final String what;

    VerifyingInputStream(InputStream in, String expected, String what) throws AppcException {
      super(in);
      this.md = newDigest(expected);
      this.expected = expected;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        md.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    /** Reads what is left, then compares the digest. */
    void verify() throws IOException, AppcException {
      byte[] buf = new byte[64 * 1024];
      while (read(buf, 0, buf.length) >= 0) {
        // the rest counts too (padding after the tar's end)
      }
      String actual = format(md);
      if (!actual.equals(expected)) {
        throw mismatch(what, expected, actual);
      }
    }
  }
}
