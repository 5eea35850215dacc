package io.framewire.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, made by the {@code openssl} CLI (Debian's openssl, the
 * same commands docs/security.md gives operators), valid for 127.0.0.1 and localhost.
 */
public final class TestCertificates {

  /** A certificate file, its key file, and a client context that trusts exactly this certificate. */
  public record Pair(Path cert, Path key) {

    public SSLContext trustingClientContext() {
      try {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {}

  /** RSA 2048, key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public static Pair rsa(Path dir, String name) {
    Pair pair = new Pair(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key.toString(),
        "-out", pair.cert.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    return pair;
  }

  /** ECDSA P-256, key as PKCS#8. */
  public static Pair ec(Path dir, String name) {
    Pair pair = new Pair(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", pair.key.toString(), "-out", pair.cert.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    return pair;
  }

  /** The same key in the traditional format ({@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}). */
  public static Path traditional(Pair pair, String algorithm) {
    Path out = pair.key.resolveSibling(pair.key.getFileName() + ".traditional.pem");
    if (algorithm.equals("rsa")) {
      openssl(pair.key.getParent(), "rsa", "-in", pair.key.toString(), "-traditional", "-out", out.toString());
    } else {
      openssl(pair.key.getParent(), "ec", "-in", pair.key.toString(), "-out", out.toString());
    }
    return out;
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("the TLS tests need the openssl CLI (Debian package openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
