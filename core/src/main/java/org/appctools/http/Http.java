package org.appctools.http;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.appctools.AppcException;
import org.appctools.ProgressListener;

/**
 * The one HTTP client of the project (discovery now; fetch and the registry client later), on the
 * JDK's {@link HttpClient}: HTTP/1.1, every 3xx with a {@code Location} followed (at most {@value
 * #MAX_REDIRECTS}), plain HTTP only when {@link HttpOptions#allowHttp()}, credentials of the
 * request's host from {@code auth.d} on every request (over HTTPS; over plain HTTP only when it is
 * allowed), a timeout on connecting and one on every wait for data. Every failure is an {@link
 * HttpException} saying what happened and what to do.
 */
public final class Http {
  /** Redirects followed before giving up, as Go's client. */
  public static final int MAX_REDIRECTS = 10;

  private static final String USER_AGENT = "appctools";

  private final HttpOptions options;
  private final AuthConfig auth;
  /** The TLS context of a CA file or of --insecure-skip-tls-verify; null for the JDK's own, made on first use. */
  private final SSLContext tls;
  private HttpClient client;

  /**
   * Reads the {@code auth.d} directories and the CA file of the options. The client itself (and
   * the JDK's trust store) is made on the first request: commands that find everything in the
   * image store (actool run of a stored image) never pay for it.
   */
  public Http(HttpOptions options) throws AppcException {
    this.options = Objects.requireNonNull(options, "options");
    this.auth = AuthConfig.read(options.authDirs());
    this.tls = options.insecureSkipTlsVerify() || options.caFile() != null ? sslContext(options) : null;
  }

  private synchronized HttpClient client(URI uri) throws HttpException {
    if (client == null) {
      SSLContext ctx;
      try {
        ctx = tls != null ? tls : sslContext(options);
      } catch (AppcException e) {
        throw new HttpException(uri, e.getMessage(), null, 0, e);
      }
      client = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(options.connectTimeout())
          .sslContext(ctx)
          .build();
    }
    return client;
  }

  public HttpOptions options() {
    return options;
  }

  /** A response read into memory; {@code status} is 2xx. */
  public record Response(int status, URI finalUri, Map<String, List<String>> headers, byte[] body) {}

  /**
   * The outcome of {@link #download}: {@code notModified} when the server answered 304 to the
   * conditional request (the target was not touched), the ETag (nullable), the freshness lifetime
   * from {@code Cache-Control} (nullable; zero for {@code no-cache} and {@code no-store}) and the
   * bytes written.
   */
  public record Download(boolean notModified, URI finalUri, String etag, Duration maxAge, long bytes) {}

  /**
   * GET into memory, for small documents (discovery pages, keys). Redirects are followed; a status
   * other than 2xx, or a body over {@code maxBytes}, is an {@link HttpException}.
   */
  public Response get(URI uri, long maxBytes) throws AppcException {
    Exchange ex = send(uri, null);
    int status = ex.response.statusCode();
    if (status < 200 || status > 299) {
      discard(ex.response);
      throw statusError(ex, status);
    }
    long declared = ex.response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxBytes) {
      discard(ex.response);
      throw tooLarge(ex, maxBytes);
    }
    BodyQueue body = subscribe(ex.response);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer piece;
    while ((piece = next(body, ex)) != null) {
      if (out.size() + (long) piece.remaining() > maxBytes) {
        body.cancel();
        throw tooLarge(ex, maxBytes);
      }
      byte[] b = new byte[piece.remaining()];
      piece.get(b);
      out.write(b, 0, b.length);
    }
    return new Response(status, ex.uri, ex.response.headers().map(), out.toByteArray());
  }

  /**
   * GET streamed to {@code target} (created or truncated once a 2xx response arrives; on a failure
   * after that it holds part of the body, so callers write to a temporary file and rename it).
   * With {@code ifNoneMatch} the request is conditional: a 304 answer leaves the target untouched
   * and returns {@code notModified}. {@code progress} may be null.
   */
  public Download download(URI uri, Path target, String ifNoneMatch, ProgressListener progress) throws AppcException {
    Exchange ex = send(uri, ifNoneMatch);
    int status = ex.response.statusCode();
    HttpHeaders headers = ex.response.headers();
    String etag = headers.firstValue("ETag").orElse(null);
    Duration maxAge = maxAge(headers.allValues("Cache-Control"));
    if (status == 304 && ifNoneMatch != null) {
      discard(ex.response);
      return new Download(true, ex.uri, etag != null ? etag : ifNoneMatch, maxAge, 0);
    }
    if (status < 200 || status > 299) {
      discard(ex.response);
      throw statusError(ex, status);
    }
    long total = headers.firstValueAsLong("Content-Length").orElse(-1);
    BodyQueue body = subscribe(ex.response);
    long bytes = 0;
    try (OutputStream out = Files.newOutputStream(target)) {
      ByteBuffer piece;
      byte[] buf = new byte[0];
      while ((piece = next(body, ex)) != null) {
        int n = piece.remaining();
        if (buf.length < n) {
          buf = new byte[n];
        }
        piece.get(buf, 0, n);
        out.write(buf, 0, n);
        bytes += n;
        if (progress != null) {
          progress.progress(bytes, total);
        }
      }
    } catch (IOException e) {
      body.cancel();
      throw new AppcException("download: cannot write " + target + ": " + e.getMessage(), e);
    }
    return new Download(false, ex.uri, etag, maxAge, bytes);
  }

  /** The response to a GET (headers only), after redirects, and the credentials sent with it. */
  private record Exchange(URI uri, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, AuthConfig.Credential sent) {}

  private Exchange send(URI start, String ifNoneMatch) throws HttpException {
    URI uri = start;
    URI from = null;
    for (int redirects = 0; ; redirects++) {
      checkScheme(uri, from);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
          .timeout(options.readTimeout())
          .header("User-Agent", USER_AGENT);
      AuthConfig.Credential credential = auth.forUri(uri);
      if (credential != null && (isHttps(uri) || options.allowHttp())) {
        request.header("Authorization", credential.authorization());
      } else {
        credential = null;
      }
      if (ifNoneMatch != null) {
        request.header("If-None-Match", ifNoneMatch);
      }
      HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = transport(uri, request.build());
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (status < 300 || status > 399 || status == 304 || location.isEmpty()) {
        return new Exchange(uri, response, credential);
      }
      discard(response);
      if (redirects == MAX_REDIRECTS) {
        throw new HttpException(start, "stopped after " + MAX_REDIRECTS + " redirects (the last to " + location.get() + ")",
            "the server redirects in a loop or too often", status, null);
      }
      from = uri;
      try {
        uri = uri.resolve(location.get().strip());
      } catch (IllegalArgumentException e) {
        throw new HttpException(uri, "HTTP " + status + " redirects to an invalid URL: " + location.get(), null, status, e);
      }
    }
  }

  private void checkScheme(URI uri, URI redirectedFrom) throws HttpException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && !options.allowHttp()) {
      String reason = redirectedFrom == null ? "plain HTTP is not allowed" : "redirected from " + redirectedFrom + " to plain HTTP, which is not allowed";
      throw new HttpException(uri, reason, "pass --insecure-allow-http to allow it", 0, null);
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new HttpException(uri, "only http and https URLs can be fetched", null, 0, null);
    }
    if (uri.getHost() == null) {
      throw new HttpException(uri, "the URL has no host", null, 0, null);
    }
  }

  private static boolean isHttps(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme());
  }

  private HttpResponse<Flow.Publisher<List<ByteBuffer>>> transport(URI uri, HttpRequest request) throws HttpException {
    try {
      return client(uri).send(request, HttpResponse.BodyHandlers.ofPublisher());
    } catch (HttpConnectTimeoutException e) {
      throw new HttpException(uri, "timed out after " + seconds(options.connectTimeout()) + " connecting",
          "check the address, or raise --timeout", 0, e);
    } catch (HttpTimeoutException e) {
      throw timedOutReading(uri, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpException(uri, "interrupted", null, 0, e);
    } catch (IOException e) {
      throw transportError(uri, e);
    }
  }

  private HttpException timedOutReading(URI uri, int status, Throwable cause) {
    return new HttpException(uri, "timed out after " + seconds(options.readTimeout()) + " reading",
        "the server stopped sending; try again later, or raise --timeout", status, cause);
  }

  private static HttpException transportError(URI uri, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return new HttpException(uri, "TLS: the server's certificate has expired", "tell the server's owner, or pass --insecure-skip-tls-verify", 0, e);
      }
      if (t instanceof SSLException) {
        return tlsError(uri, e, String.valueOf(t.getMessage()));
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return new HttpException(uri, "unknown host " + uri.getHost(), "check the name", 0, e);
      }
      if (t instanceof ConnectException) {
        return new HttpException(uri, "connection refused", "check the address and that the server is up", 0, e);
      }
    }
    return new HttpException(uri, "connection failed: " + describe(e), null, 0, e);
  }

  private static HttpException tlsError(URI uri, IOException e, String message) {
    if (message.contains("PKIX path") || message.contains("certification path")) {
      return new HttpException(uri, "TLS: the server's certificate is not trusted",
          "pass --ca-file with the CA that signed it, or --insecure-skip-tls-verify", 0, e);
    }
    if (message.contains("No subject alternative") || message.contains("No name matching")) {
      return new HttpException(uri, "TLS: the server's certificate is not for " + uri.getHost(),
          "check the address, or pass --insecure-skip-tls-verify", 0, e);
    }
    if (message.contains("nsupported or unrecognized SSL message") || message.contains("plaintext")) {
      return new HttpException(uri, "TLS: the server does not speak TLS on this port",
          "check the port, or use http:// with --insecure-allow-http", 0, e);
    }
    return new HttpException(uri, "TLS handshake failed: " + message, null, 0, e);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private HttpException statusError(Exchange ex, int status) {
    String reason = "HTTP " + status + statusText(status);
    String fix = null;
    if (status == 401) {
      String domain = AuthConfig.domain(ex.uri);
      fix = ex.sent != null
          ? "the server refused the " + ex.sent.scheme() + " credentials for " + domain + " from " + ex.sent.file() + "; check them"
          : "put credentials for " + domain + " in a *.json file of an auth.d directory ("
              + options.authDirs().stream().map(Path::toString).collect(Collectors.joining(", ")) + ")";
    }
    return new HttpException(ex.uri, reason, fix, status, null);
  }

  private static HttpException tooLarge(Exchange ex, long maxBytes) {
    return new HttpException(ex.uri, "the response is larger than " + maxBytes + " bytes",
        "this is not the small document expected here", ex.response.statusCode(), null);
  }

  private static String statusText(int status) {
    return switch (status) {
      case 400 -> " Bad Request";
      case 401 -> " Unauthorized";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 405 -> " Method Not Allowed";
      case 410 -> " Gone";
      case 429 -> " Too Many Requests";
      case 500 -> " Internal Server Error";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> "";
    };
  }

  /** "60s", or "1500ms" when not a whole number of seconds. */
  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /**
   * The freshness lifetime of {@code Cache-Control} values: zero for {@code no-cache} or {@code
   * no-store}, else {@code max-age}, else null.
   */
  static Duration maxAge(List<String> cacheControl) {
    Duration age = null;
    for (String header : cacheControl) {
      for (String directive : header.split(",")) {
        String d = directive.strip();
        int eq = d.indexOf('=');
        String name = (eq < 0 ? d : d.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        if (name.equals("no-cache") || name.equals("no-store")) {
          return Duration.ZERO;
        }
        if (name.equals("max-age") && eq >= 0) {
          String value = d.substring(eq + 1).strip();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          try {
            long s = Long.parseLong(value);
            age = s < 0 ? Duration.ZERO : Duration.ofSeconds(s);
          } catch (NumberFormatException e) {
            // an unreadable max-age gives no lifetime, as if absent
          }
        }
      }
    }
    return age;
  }

  private static BodyQueue subscribe(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
    BodyQueue q = new BodyQueue();
    response.body().subscribe(q);
    return q;
  }

  /** Drops a body nobody reads (a redirect's, an error's); the connection is closed. */
  private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
    response.body().subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.cancel();
      }

      @Override
      public void onNext(List<ByteBuffer> item) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    });
  }

  /** The next piece of the body, null at its end; a stall longer than the read timeout fails. */
  private ByteBuffer next(BodyQueue body, Exchange ex) throws HttpException {
    try {
      return body.next(options.readTimeout());
    } catch (BodyQueue.Stalled e) {
      body.cancel();
      throw timedOutReading(ex.uri, ex.response.statusCode(), null);
    } catch (InterruptedException e) {
      body.cancel();
      Thread.currentThread().interrupt();
      throw new HttpException(ex.uri, "interrupted", null, ex.response.statusCode(), e);
    } catch (IOException e) {
      body.cancel();
      throw new HttpException(ex.uri, "connection lost while reading: " + describe(e), "try again", ex.response.statusCode(), e);
    }
  }

  /** A response body as a queue of buffers, read with a time limit per wait. */
  private static final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    /** No data within the time limit. */
    static final class Stalled extends Exception {
      Stalled() {
        super(null, null, false, false);
      }
    }

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> current = Collections.emptyIterator();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      items.add(t);
    }

    @Override
    public void onComplete() {
      items.add(END);
    }

    @SuppressWarnings("unchecked")
    ByteBuffer next(Duration timeout) throws IOException, InterruptedException, Stalled {
      while (true) {
        while (current.hasNext()) {
          ByteBuffer b = current.next();
          if (b.hasRemaining()) {
            return b;
          }
        }
        Object item = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
          throw new Stalled();
        }
        if (item == END) {
          return null;
        }
        if (item instanceof Throwable t) {
          throw t instanceof IOException io ? io : new IOException(t);
        }
        current = ((List<ByteBuffer>) item).iterator();
        subscription.request(1);
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  private static SSLContext sslContext(HttpOptions options) throws AppcException {
    try {
      if (options.insecureSkipTlsVerify()) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        return ctx;
      }
      if (options.caFile() == null) {
        return SSLContext.getDefault();
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int n = 0;
      for (X509Certificate c : jdkTrust().getAcceptedIssuers()) {
        trusted.setCertificateEntry("jdk-" + n++, c);
      }
      for (Certificate c : readCaFile(options.caFile())) {
        trusted.setCertificateEntry("ca-file-" + n++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new AppcException("http: cannot set up TLS: " + describe(e), e);
    }
  }

  private static X509TrustManager jdkTrust() throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }

  private static List<? extends Certificate> readCaFile(Path file) throws AppcException {
    try (InputStream in = Files.newInputStream(file)) {
      List<? extends Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certs.isEmpty()) {
        throw new AppcException("http: no certificate in the CA file " + file + "; give PEM certificates (-----BEGIN CERTIFICATE-----)");
      }
      return certs;
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new AppcException("http: the CA file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new AppcException("http: cannot read the CA file " + file + ": " + describe(e), e);
    } catch (CertificateException e) {
      throw new AppcException("http: the CA file " + file + " is not PEM certificates: " + describe(e), e);
    }
  }

  /** --insecure-skip-tls-verify: every certificate, for every host name. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
