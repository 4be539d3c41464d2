package org.appctools.executor.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.ImageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataServiceTest {
  private static final String WEB_ID = "sha512-" + "a1".repeat(64);
  private static final String DB_ID = "sha512-" + "b2".repeat(64);
  private static final UUID POD_A = UUID.fromString("6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b");
  private static final UUID POD_B = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");

  /** As an image stores it: indented, fields out of canonical order, so verbatim serving shows. */
  private static final String WEB_IMAGE_MANIFEST = """
      {
        "acVersion": "0.8.11",
        "acKind": "ImageManifest",
        "name": "example.com/web",
        "annotations": [
          {"name": "a", "value": "image-a"},
          {"name": "shared", "value": "from-image"},
          {"name": "example.com/z", "value": "zé"}
        ]
      }
      """;
  private static final String DB_IMAGE_MANIFEST = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/db\"}";

  private static final String POD_A_MANIFEST = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":["
      + "{\"name\":\"web\",\"image\":{\"name\":\"example.com/web\",\"id\":\"" + WEB_ID + "\"},"
      + "\"annotations\":[{\"name\":\"shared\",\"value\":\"from-pod\"},{\"name\":\"p\",\"value\":\"pod-only\"}]},"
      + "{\"name\":\"db\",\"image\":{\"name\":\"example.com/db\",\"id\":\"" + DB_ID + "\"}}],"
      + "\"volumes\":[],\"isolators\":[],"
      + "\"annotations\":[{\"name\":\"ip-address\",\"value\":\"10.1.2.3\"},{\"name\":\"example.com/owner\",\"value\":\"ops\"}],"
      + "\"ports\":[]}";
  private static final String POD_B_MANIFEST = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":["
      + "{\"name\":\"web\",\"image\":{\"name\":\"example.com/web\",\"id\":\"" + WEB_ID + "\"}}],"
      + "\"volumes\":[],\"isolators\":[],\"annotations\":[],\"ports\":[]}";

  private static final List<String> ENDPOINTS = List.of("pod/annotations", "pod/annotations/ip-address", "pod/manifest",
      "pod/uuid", "apps/web/annotations", "apps/web/annotations/a", "apps/web/image/manifest", "apps/web/image/id");

  @TempDir Path tmp;

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MetadataService service;
  private URI podA;
  private URI podB;

  @BeforeEach
  void start() throws Exception {
    service = MetadataService.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    podA = service.register(podA());
    podB = service.register(podB());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  static PodRegistration podA() throws Exception {
    PodManifest manifest = PodManifest.parse(POD_A_MANIFEST.getBytes(UTF_8));
    return new PodRegistration(POD_A, manifest, Map.of(
        "web", app(WEB_IMAGE_MANIFEST, WEB_ID, manifest.apps().get(0).annotations()),
        "db", app(DB_IMAGE_MANIFEST, DB_ID, Annotations.of())), manifest.annotations());
  }

  static PodRegistration podB() throws Exception {
    PodManifest manifest = PodManifest.parse(POD_B_MANIFEST.getBytes(UTF_8));
    return new PodRegistration(POD_B, manifest, Map.of("web", app(WEB_IMAGE_MANIFEST, WEB_ID, Annotations.of())),
        Annotations.of());
  }

  static AppInfo app(String imageManifest, String id, Annotations podAnnotationsForApp) throws Exception {
    byte[] bytes = imageManifest.getBytes(UTF_8);
    return new AppInfo(ImageManifest.parse(bytes), bytes, ImageId.parse(id), podAnnotationsForApp);
  }

  private HttpResponse<byte[]> send(String method, URI pod, String endpoint, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pod + "/acMetadata/v1/" + endpoint))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(URI pod, String endpoint) throws IOException, InterruptedException {
    return send("GET", pod, endpoint, null, null);
  }

  private HttpResponse<byte[]> post(URI pod, String endpoint, String... fields) throws IOException, InterruptedException {
    return send("POST", pod, endpoint, "application/x-www-form-urlencoded", form(fields).getBytes(UTF_8));
  }

  /** name, value, name, value... url-encoded. */
  private static String form(String... fields) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < fields.length; i += 2) {
      pairs.add(URLEncoder.encode(fields[i], UTF_8) + "=" + URLEncoder.encode(fields[i + 1], UTF_8));
    }
    return String.join("&", pairs);
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse(null);
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  private String signedBy(URI pod, String content) throws Exception {
    HttpResponse<byte[]> r = post(pod, "pod/hmac/sign", "content", content);
    assertThat(r.statusCode()).isEqualTo(200);
    return text(r);
  }

  @Test
  void podManifest_get_servesTheCanonicalJson() throws Exception {
    HttpResponse<byte[]> r = get(podA, "pod/manifest");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    assertThat(text(r)).isEqualTo(POD_A_MANIFEST);
  }

  @Test
  void podAnnotations_get_servesTheManifestsAnnotationsAsJson() throws Exception {
    HttpResponse<byte[]> r = get(podA, "pod/annotations");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    assertThat(text(r)).isEqualTo("[{\"name\":\"ip-address\",\"value\":\"10.1.2.3\"},{\"name\":\"example.com/owner\",\"value\":\"ops\"}]");
  }

  @Test
  void podAnnotations_none_servesAnEmptyList() throws Exception {
    HttpResponse<byte[]> r = get(podB, "pod/annotations");

    assertThat(contentType(r)).isEqualTo("application/json");
    assertThat(text(r)).isEqualTo("[]");
  }

  @Test
  void podUuid_get_servesTheCanonicalUuidAsAscii() throws Exception {
    HttpResponse<byte[]> r = get(podA, "pod/uuid");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/plain; charset=us-ascii");
    assertThat(text(r)).isEqualTo("6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b");
    assertThat(text(get(podB, "pod/uuid"))).isEqualTo(POD_B.toString());
  }

  @Test
  void appAnnotations_imageAndPodBoth_mergedInPlaceThePodWinning() throws Exception {
    HttpResponse<byte[]> r = get(podA, "apps/web/annotations");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    assertThat(text(r)).isEqualTo("[{\"name\":\"a\",\"value\":\"image-a\"},{\"name\":\"shared\",\"value\":\"from-pod\"},"
        + "{\"name\":\"example.com/z\",\"value\":\"zé\"},{\"name\":\"p\",\"value\":\"pod-only\"}]");
  }

  @Test
  void appAnnotations_imageOnly_servesTheImages() throws Exception {
    assertThat(text(get(podB, "apps/web/annotations"))).isEqualTo("[{\"name\":\"a\",\"value\":\"image-a\"},"
        + "{\"name\":\"shared\",\"value\":\"from-image\"},{\"name\":\"example.com/z\",\"value\":\"zé\"}]");
  }

  @Test
  void appAnnotations_none_servesAnEmptyList() throws Exception {
    assertThat(text(get(podA, "apps/db/annotations"))).isEqualTo("[]");
  }

  @Test
  void imageManifest_get_servesTheStoredBytesVerbatim() throws Exception {
    HttpResponse<byte[]> r = get(podA, "apps/web/image/manifest");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    assertThat(r.body()).isEqualTo(WEB_IMAGE_MANIFEST.getBytes(UTF_8));
    assertThat(text(get(podA, "apps/db/image/manifest"))).isEqualTo(DB_IMAGE_MANIFEST);
  }

  @Test
  void imageId_get_servesTheIdAsAscii() throws Exception {
    HttpResponse<byte[]> r = get(podA, "apps/db/image/id");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/plain; charset=us-ascii");
    assertThat(text(r)).isEqualTo(DB_ID);
  }

  @ParameterizedTest
  @CsvSource({
      "pod/annotations/ip-address, 10.1.2.3",
      "pod/annotations/example.com/owner, ops",
      "apps/web/annotations/shared, from-pod",
      "apps/web/annotations/example.com/z, zé",
      "apps/web/annotations/p, pod-only"})
  void annotationByName_present_servesItsValueAsUtf8Text(String endpoint, String value) throws Exception {
    HttpResponse<byte[]> r = get(podA, endpoint);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/plain; charset=utf-8");
    assertThat(text(r)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({
      "pod/annotations/nope, metadata service: the pod has no annotation \"nope\"",
      "apps/web/annotations/nope, metadata service: app \"web\" has no annotation \"nope\""})
  void annotationByName_absent_is404(String endpoint, String message) throws Exception {
    HttpResponse<byte[]> r = get(podA, endpoint);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).isEqualTo(message + "\n");
  }

  @Test
  void anyEndpoint_unknownToken_is404() throws Exception {
    URI stranger = URI.create("http://127.0.0.1:" + service.address().getPort() + "/" + "A".repeat(32));
    for (String endpoint : ENDPOINTS) {
      HttpResponse<byte[]> r = get(stranger, endpoint);
      assertThat(r.statusCode()).as(endpoint).isEqualTo(404);
      assertThat(contentType(r)).isEqualTo("text/plain; charset=us-ascii");
      assertThat(text(r)).isEqualTo("metadata service: unknown pod token (use the pod's AC_METADATA_URL)\n");
    }
    assertThat(post(stranger, "pod/hmac/sign", "content", "x").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"apps/nope/annotations", "apps/nope/image/manifest", "apps/nope/image/id", "apps/nope/annotations/a"})
  void appEndpoint_unknownApp_is404(String endpoint) throws Exception {
    HttpResponse<byte[]> r = get(podA, endpoint);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).isEqualTo("metadata service: no app \"nope\" in this pod\n");
  }

  @Test
  void appEndpoint_appOfAnotherPod_is404() throws Exception {
    assertThat(get(podB, "apps/db/image/id").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "pod", "pod/", "pod/annotations/", "pod/hmac", "pod/uuid/x", "apps", "apps/web",
      "apps/web/", "apps//image/id", "apps/web/image", "apps/web/annotations/", "apps/web/image/id/x", "POD/uuid"})
  void unknownPath_is404(String endpoint) throws Exception {
    HttpResponse<byte[]> r = get(podA, endpoint);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).isEqualTo("metadata service: no such endpoint\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/acMetadata/v1/pod/uuid", "/x/acMetadata/v2/pod/uuid", "/x/y/acMetadata/v1/pod/uuid"})
  void pathOutsideAToken_is404(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + service.address().getPort() + path);
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @CsvSource({
      "POST, pod/manifest, GET", "PUT, pod/uuid, GET", "DELETE, apps/web/image/id, GET", "HEAD, pod/annotations, GET",
      "POST, apps/web/annotations/a, GET", "GET, pod/hmac/sign, POST", "PUT, pod/hmac/verify, POST"})
  void endpoint_wrongMethod_is405NamingTheMethod(String method, String endpoint, String allowed) throws Exception {
    HttpResponse<byte[]> r = send(method, podA, endpoint, null, method.equals("HEAD") ? null : new byte[0]);

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains(allowed);
    if (!method.equals("HEAD")) {
      assertThat(text(r)).isEqualTo("metadata service: use " + allowed + "\n");
    }
  }

  @Test
  void hmacSign_content_isBase64OfA64ByteMacAsAscii() throws Exception {
    HttpResponse<byte[]> r = post(podA, "pod/hmac/sign", "content", "Old MacDonald Had A Farm");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/plain; charset=us-ascii");
    assertThat(Base64.getDecoder().decode(text(r))).hasSize(64);
    assertThat(signedBy(podA, "Old MacDonald Had A Farm")).isEqualTo(text(r));
  }

  @Test
  void hmacSign_samContentTwoPods_differentSignatures() throws Exception {
    assertThat(signedBy(podA, "content")).isNotEqualTo(signedBy(podB, "content"));
  }

  @Test
  void hmacVerify_signatureOfAnotherPod_isAcceptedForThatPodOnly() throws Exception {
    String signature = signedBy(podA, "Old MacDonald Had A Farm");

    HttpResponse<byte[]> byB = post(podB, "pod/hmac/verify",
        "content", "Old MacDonald Had A Farm", "uuid", POD_A.toString(), "signature", signature);
    HttpResponse<byte[]> byA = post(podA, "pod/hmac/verify",
        "content", "Old MacDonald Had A Farm", "uuid", POD_A.toString(), "signature", signature);
    HttpResponse<byte[]> claimedForB = post(podB, "pod/hmac/verify",
        "content", "Old MacDonald Had A Farm", "uuid", POD_B.toString(), "signature", signature);

    assertThat(byB.statusCode()).isEqualTo(200);
    assertThat(contentType(byB)).isEqualTo("text/plain; charset=us-ascii");
    assertThat(byB.body()).isEmpty();
    assertThat(byA.statusCode()).isEqualTo(200);
    assertThat(claimedForB.statusCode()).isEqualTo(403);
  }

  @ParameterizedTest
  @ValueSource(strings = {"6F2E8A4C1B3D4E5F8A7B9C0D1E2F3A4B", "6f2e8a4c1b3d4e5f8a7b9c0d1e2f3a4b", "6f2e-8a4c-1b3d4e5f8a7b9c0d1e2f3a4b"})
  void hmacVerify_uuidWithoutOrWithOtherDashes_readAsGoDoes(String uuid) throws Exception {
    String signature = signedBy(podA, "x");

    assertThat(post(podB, "pod/hmac/verify", "content", "x", "uuid", uuid, "signature", signature).statusCode()).isEqualTo(200);
  }

  @Test
  void hmacVerify_tamperedContent_is403() throws Exception {
    String signature = signedBy(podA, "Old MacDonald Had A Farm");

    HttpResponse<byte[]> r = post(podB, "pod/hmac/verify",
        "content", "Old MacDonald Had A Farm!", "uuid", POD_A.toString(), "signature", signature);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(contentType(r)).isEqualTo("text/plain; charset=us-ascii");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void hmacVerify_tamperedSignature_is403() throws Exception {
    byte[] mac = Base64.getDecoder().decode(signedBy(podA, "x"));
    mac[10] ^= 1;

    HttpResponse<byte[]> r = post(podB, "pod/hmac/verify",
        "content", "x", "uuid", POD_A.toString(), "signature", Base64.getEncoder().encodeToString(mac));

    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void hmacVerify_unregisteredSigner_is403() throws Exception {
    String signature = signedBy(podA, "x");
    service.unregister(POD_A);

    HttpResponse<byte[]> r = post(podB, "pod/hmac/verify", "content", "x", "uuid", POD_A.toString(), "signature", signature);

    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void hmacVerify_unknownUuid_is403() throws Exception {
    String signature = signedBy(podA, "x");

    HttpResponse<byte[]> r = post(podB, "pod/hmac/verify",
        "content", "x", "uuid", UUID.randomUUID().toString(), "signature", signature);

    assertThat(r.statusCode()).isEqualTo(403);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pod/hmac/sign   | a=b                                  | metadata service: the form has no content field to sign",
      "pod/hmac/sign   | content=                             | metadata service: the form has no content field to sign",
      "pod/hmac/sign   | content=%zz                          | metadata service: invalid percent escape in the form",
      "pod/hmac/verify | content=x&signature=AAAA             | metadata service: the form's uuid field is missing or not a UUID",
      "pod/hmac/verify | content=x&uuid=nope&signature=AAAA   | metadata service: the form's uuid field is missing or not a UUID",
      "pod/hmac/verify | uuid=" + "6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b" + "&signature=AAAA"
          + " | metadata service: the form has no content field to verify",
      "pod/hmac/verify | content=x&uuid=6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b   | metadata service: the form's signature field is missing or not base64",
      "pod/hmac/verify | content=x&uuid=6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b&signature=%21%21 "
          + "| metadata service: the form's signature field is missing or not base64"})
  void hmac_malformedForm_is400Saying(String endpoint, String form, String message) throws Exception {
    HttpResponse<byte[]> r = send("POST", podA, endpoint, "application/x-www-form-urlencoded", form.getBytes(UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).isEqualTo(message + "\n");
  }

  @Test
  void hmacSign_multipartOrQueryForm_signsTheSameContent() throws Exception {
    String expected = signedBy(podA, "Old MacDonald");
    byte[] multipart = ("--xyz\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nOld MacDonald\r\n--xyz--\r\n")
        .getBytes(UTF_8);

    HttpResponse<byte[]> byMultipart = send("POST", podA, "pod/hmac/sign", "multipart/form-data; boundary=xyz", multipart);
    HttpResponse<byte[]> byQuery = send("POST", podA, "pod/hmac/sign?content=Old+MacDonald", null, null);

    assertThat(text(byMultipart)).isEqualTo(expected);
    assertThat(text(byQuery)).isEqualTo(expected);
  }

  @Test
  void hmacSign_formOverTheLimit_is413() throws Exception {
    byte[] big = ("content=" + "x".repeat(MetadataService.MAX_FORM_BYTES)).getBytes(UTF_8);

    HttpResponse<byte[]> r = send("POST", podA, "pod/hmac/sign", "application/x-www-form-urlencoded", big);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(text(r)).isEqualTo("metadata service: the form is larger than 1048576 bytes\n");
  }

  @Test
  void register_url_isHttpAddressPortAndA192BitUrlSafeToken() {
    String prefix = "http://127.0.0.1:" + service.address().getPort() + "/";

    assertThat(podA.toString()).startsWith(prefix);
    String token = podA.toString().substring(prefix.length());
    assertThat(token).matches("[A-Za-z0-9_-]{32}");
    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(24);
  }

  @Test
  void register_tokens_areDistinctVaryInEveryBitAndAreNotTheUuid() throws Exception {
    int n = 200;
    Set<String> tokens = new HashSet<>();
    byte[] ones = new byte[24];
    byte[] zeros = new byte[24];
    for (int i = 0; i < n; i++) {
      UUID uuid = UUID.randomUUID();
      PodManifest empty = PodManifest.empty();
      String url = service.register(new PodRegistration(uuid, empty, Map.of(), Annotations.of())).toString();
      String token = url.substring(url.lastIndexOf('/') + 1);
      assertThat(token).doesNotContainIgnoringCase(uuid.toString().replace("-", "").substring(0, 8));
      tokens.add(token);
      byte[] bits = Base64.getUrlDecoder().decode(token);
      for (int b = 0; b < bits.length; b++) {
        ones[b] |= bits[b];
        zeros[b] |= (byte) ~bits[b];
      }
    }

    assertThat(tokens).hasSize(n);
    assertThat(ones).containsOnly((byte) 0xff);
    assertThat(zeros).containsOnly((byte) 0xff);
  }

  @Test
  void register_sameUuidTwice_fails() {
    assertThatThrownBy(() -> service.register(podA()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: a pod with this UUID is already registered"
            + " (pod UUIDs must be unique)");
  }

  @Test
  void register_afterUnregister_servesTheNewTokenOnly() throws Exception {
    service.unregister(POD_A);

    URI again = service.register(podA());

    assertThat(again).isNotEqualTo(podA);
    assertThat(get(again, "pod/uuid").statusCode()).isEqualTo(200);
    assertThat(get(podA, "pod/uuid").statusCode()).isEqualTo(404);
  }

  @Test
  void unregister_pod_everyEndpointIs404AndOtherPodsStay() throws Exception {
    service.unregister(POD_A);

    for (String endpoint : ENDPOINTS) {
      assertThat(get(podA, endpoint).statusCode()).as(endpoint).isEqualTo(404);
    }
    assertThat(post(podA, "pod/hmac/sign", "content", "x").statusCode()).isEqualTo(404);
    assertThat(text(get(podB, "pod/uuid"))).isEqualTo(POD_B.toString());
  }

  @Test
  void unregister_unknownPod_changesNothing() throws Exception {
    service.unregister(UUID.randomUUID());

    assertThat(get(podA, "pod/uuid").statusCode()).isEqualTo(200);
  }

  @Test
  void requests_manyConcurrentFromTwoPods_eachGetsItsOwnAnswer() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      boolean a = i % 2 == 0;
      String endpoint = switch (i % 4) {
        case 0, 1 -> "pod/uuid";
        case 2 -> "apps/web/image/id";
        default -> "apps/web/annotations/shared";
      };
      expected.add(switch (i % 4) {
        case 0, 1 -> (a ? POD_A : POD_B).toString();
        case 2 -> WEB_ID;
        default -> "from-image";
      });
      URI uri = URI.create((a ? podA : podB) + "/acMetadata/v1/" + endpoint);
      responses.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
    }

    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> r = responses.get(i).get();
      assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
      assertThat(r.body()).as("request %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void start_always_leavesTheJdkServerSendingWithoutNagleDelay() {
    assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
  }

  @Test
  void start_wildcardAddress_isRefused() {
    assertThatThrownBy(() -> MetadataService.start(new InetSocketAddress(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata service: cannot serve pods at 0.0.0.0/0.0.0.0:0; bind one resolved address such as 127.0.0.1");
  }

  @Test
  void start_ipv6Loopback_urlHasTheAddressInBrackets() throws Exception {
    try (MetadataService v6 = MetadataService.start(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      URI url = v6.register(podB());

      assertThat(url.toString()).startsWith("http://[0:0:0:0:0:0:0:1]:" + v6.address().getPort() + "/");
      assertThat(text(get(url, "pod/uuid"))).isEqualTo(POD_B.toString());
    }
  }

  @Test
  void close_twice_stopsServingAndRefusesRegistrations() throws Exception {
    service.close();
    service.close();

    assertThatThrownBy(() -> get(podA, "pod/uuid")).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> service.register(podA()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: the metadata service is closed; start a new one");
  }

  /** The spec's ACE validator, built by {@code .ci/fixtures.sh acevalidator}; tests needing it are skipped without it. */
  private static Path aceValidator() {
    String dir = System.getProperty("aci.fixtures");
    assumeTrue(dir != null, "aci.fixtures is not set");
    Path bin = Path.of(dir, "bin", "ace-validator");
    assumeTrue(Files.isExecutable(bin), "fixture " + bin + " is absent (.ci/fixtures.sh acevalidator)");
    return bin;
  }

  /** Exit status, stdout and stderr of a process. */
  private record Run(int status, String out, String err) {}

  /**
   * Runs the validator's main mode as the app of a pod would run it: in a root directory of its
   * own holding the pre-start handler's marker, the sidekick's file in the volume {@code /db}
   * (bind-mounted) and {@code /proc}, in a user and mount namespace that vanish with it, with the
   * environment the spec gives an app and the pod's {@code AC_METADATA_URL}.
   */
  private Run runAceValidator(String name, URI metadataUrl) throws Exception {
    Path root = Files.createDirectories(tmp.resolve(name));
    for (String dir : List.of("db", "proc", "opt/acvalidator")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.createFile(root.resolve("prestart"));
    Files.createFile(root.resolve("db/sidekick"));
    Files.copy(aceValidator(), root.resolve("ace-validator"), StandardCopyOption.COPY_ATTRIBUTES);
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/unshare", "--map-root-user", "--mount", "/bin/sh", "-c",
        "mount --bind \"$0/db\" \"$0/db\" && mount --rbind /proc \"$0/proc\""
            + " && exec unshare --root=\"$0\" --wd=/opt/acvalidator /ace-validator main", root.toString());
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", "/root",
        "USER", "root", "LOGNAME", "root", "SHELL", "/bin/sh", "IN_ACE_VALIDATOR", "correct",
        "AC_APP_NAME", "ace-validator-main", "AC_METADATA_URL", metadataUrl.toString()));
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the validator ends").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void aceValidator_mainModeOfAPod_passesEveryCheck() throws Exception {
    Run run = runAceValidator("pod-a", podA);

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("main OK\n");
    assertThat(run.status()).isZero();
  }

  @Test
  void aceValidator_podUnregistered_failsOnTheFirstMetadataRequest() throws Exception {
    service.unregister(POD_A);

    Run run = runAceValidator("pod-a", podA);

    assertThat(run.out()).isEqualTo("main FAIL\n");
    assertThat(run.err()).isEqualTo("==> Get " + podA + "/acMetadata/v1/pod/manifest failed with 404\n");
    assertThat(run.status()).isEqualTo(1);
  }
}
