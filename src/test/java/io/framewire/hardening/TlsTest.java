package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.net.TlsFiles;
import io.framewire.testing.TestCertificates;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS_CERT_FILE / TLS_KEY_FILE: HTTPS and WSS on the public port with a certificate the test makes. */
class TlsTest {

  @TempDir
  Path dir;

  @Test
  void httpsAndWssWorkAndPlainConnectionsToTheTlsPortFailCleanly() throws Exception {
    TestCertificates.Pair pair = TestCertificates.rsa(dir, "rsa");
    assertTrue(Files.readString(pair.key()).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 key");
    try (TestServer server = TestServer.start(tls(pair.cert(), pair.key()))) {
      SSLContext trust = pair.trustingClientContext();
      HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
      assertEquals(200, healthStatus(client, "https", server.port()));

      String answer = firstAnswer(client, "wss://127.0.0.1:" + server.port() + "/ws/video/stream?pipeline_id=echo");
      assertTrue(answer.contains("\"result\""), answer);

      // Plain HTTP and WebSocket to the TLS port: refused by the TLS layer, the connection closes.
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      ExecutionException ws = assertThrows(ExecutionException.class, () -> plain.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/video/stream?pipeline_id=echo"),
              new WebSocket.Listener() {})
          .get(20, TimeUnit.SECONDS));
      assertTrue(ws.getCause() instanceof java.io.IOException, String.valueOf(ws.getCause()));
      try (Socket raw = new Socket("127.0.0.1", server.port())) {
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] reply = readUntilClosed(raw.getInputStream());
        assertTrue(!new String(reply, StandardCharsets.ISO_8859_1).startsWith("HTTP/"), "no HTTP answer in clear");
      }

      // ... and the server goes on serving TLS clients.
      assertEquals(200, healthStatus(client, "https", server.port()));
    }
  }

  @Test
  void traditionalKeysAsCertbotWritesThemWork() throws Exception {
    TestCertificates.Pair ec = TestCertificates.ec(dir, "ec");
    Path ecTraditional = TestCertificates.traditional(ec, "ec");
    assertTrue(Files.readString(ecTraditional).startsWith("-----BEGIN EC PRIVATE KEY-----"));
    try (TestServer server = TestServer.start(tls(ec.cert(), ecTraditional))) {
      HttpClient client = HttpClient.newBuilder().sslContext(ec.trustingClientContext()).build();
      assertEquals(200, healthStatus(client, "https", server.port()));
    }
    TestCertificates.Pair rsa = TestCertificates.rsa(dir, "rsa");
    Path rsaTraditional = TestCertificates.traditional(rsa, "rsa");
    assertTrue(Files.readString(rsaTraditional).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    assertEquals("RSA", TlsFiles.read(rsa.cert(), rsaTraditional).certificate().getPublicKey().getAlgorithm());
    TlsFiles.read(rsa.cert(), rsaTraditional).context();
  }

  @Test
  void unreadableOrMismatchedFilesStopStartUpWithAClearError() {
    TestCertificates.Pair a = TestCertificates.rsa(dir, "a");
    TestCertificates.Pair b = TestCertificates.rsa(dir, "b");

    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> TestServer.start(tls(a.cert(), b.key())));
    assertTrue(mismatch.getMessage().contains("does not belong to the certificate"), mismatch.getMessage());

    Path missing = dir.resolve("nope.pem");
    IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
        () -> TestServer.start(tls(missing, a.key())));
    assertTrue(unreadable.getMessage().startsWith("TLS_CERT_FILE " + missing + " cannot be read"),
        unreadable.getMessage());

    IllegalArgumentException notAKey = assertThrows(IllegalArgumentException.class,
        () -> TestServer.start(tls(a.cert(), a.cert())));
    assertTrue(notAKey.getMessage().contains("holds no '-----BEGIN … PRIVATE KEY-----' block"), notAKey.getMessage());

    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> TestServer.start(Map.of("framewire.tls.cert-file", a.cert().toString())));
    assertTrue(half.getMessage().contains("needs both TLS_CERT_FILE and TLS_KEY_FILE"), half.getMessage());
  }

  private static Map<String, Object> tls(Path cert, Path key) {
    return Map.of("framewire.tls.cert-file", cert.toString(), "framewire.tls.key-file", key.toString());
  }

  private static int healthStatus(HttpClient client, String scheme, int port) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String firstAnswer(HttpClient client, String url) throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket socket = client.newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              first.complete(text.toString());
            }
            ws.request(1);
            return null;
          }
        })
        .get(20, TimeUnit.SECONDS);
    socket.sendBinary(ByteBuffer.wrap(TestJpegs.solid(64, 48, TestJpegs.DARK)), true).get(20, TimeUnit.SECONDS);
    String answer = first.get(20, TimeUnit.SECONDS);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);
    return answer;
  }

  private static byte[] readUntilClosed(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (java.io.IOException reset) {
      return new byte[0];
    }
  }
}
