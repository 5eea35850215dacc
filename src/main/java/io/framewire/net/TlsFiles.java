package io.framewire.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's certificate chain and private key, read from the PEM files of
 * {@code framewire.tls.cert-file} / {@code key-file} ({@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}),
 * as certbot and most CAs hand them out: a chain of {@code CERTIFICATE} blocks (leaf first, e.g.
 * certbot's {@code fullchain.pem}), and a key as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, certbot's ECDSA default).
 * Everything is checked at start-up, with an error that names the file and the problem: unreadable,
 * no certificate, no key, an encrypted key, or a key that does not belong to the certificate.
 *
 * <p>The JDK reads certificates and PKCS#8 keys; PKCS#1 and SEC1 keys are wrapped into PKCS#8 here
 * (the algorithm identifier is the certificate's own), which spares a cryptography library.
 */
public final class TlsFiles {

  private static final Pattern KEY_BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+?)-----END \\1PRIVATE KEY-----");

  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private TlsFiles(List<X509Certificate> chain, PrivateKey key) {
    this.chain = chain;
    this.key = key;
  }

  /** Reads and checks a PEM certificate chain and its private key. */
  public static TlsFiles read(Path certFile, Path keyFile) {
    List<X509Certificate> chain = readChain(certFile);
    PrivateKey key = readKey(keyFile, chain.get(0));
    checkPair(chain.get(0), key, certFile, keyFile);
    return new TlsFiles(chain, key);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** A server TLS context presenting this chain (JDK defaults for protocols and ciphers: TLS 1.2 and 1.3). */
  public SSLContext context() {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, password);
      store.setKeyEntry("framewire", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("could not set up TLS with the certificate and key: " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getClass().getSimpleName()
          + (e.getMessage() != null && !e.getMessage().equals(file.toString()) ? " (" + e.getMessage() + ")" : ""));
    }
  }

  private static List<X509Certificate> readChain(Path file) {
    byte[] pem = readFile(file, "TLS_CERT_FILE");
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS_CERT_FILE " + file + " is not a PEM certificate chain: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("TLS_CERT_FILE " + file + " holds no '-----BEGIN CERTIFICATE-----' block");
    }
    return chain;
  }

  private static PrivateKey readKey(Path file, X509Certificate certificate) {
    String pem = new String(readFile(file, "TLS_KEY_FILE"), StandardCharsets.US_ASCII);
    Matcher m = KEY_BLOCK.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("TLS_KEY_FILE " + file + " holds no '-----BEGIN … PRIVATE KEY-----' block");
    }
    String kind = m.group(1).trim();
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS_KEY_FILE " + file + ": the key block is not valid base64");
    }
    byte[] pkcs8 = switch (kind) {
      case "" -> der;
      case "RSA", "EC" -> wrapInPkcs8(der, certificate);
      case "ENCRYPTED" -> throw new IllegalArgumentException("TLS_KEY_FILE " + file
          + " is encrypted; framewire needs an unencrypted key (openssl pkey -in KEY -out plain.pem)");
      default -> throw new IllegalArgumentException("TLS_KEY_FILE " + file + ": unsupported key type '" + kind
          + " PRIVATE KEY' (use PKCS#8: openssl pkey -in KEY -out key.pem)");
    };
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS_KEY_FILE " + file + " is not a " + algorithm
          + " private key matching the certificate's key type: " + e.getMessage());
    }
  }

  private static void checkPair(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> null;
    };
    if (algorithm == null) {
      return; // the TLS handshake will tell; no way to test-sign with this key type
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("TLS_KEY_FILE " + keyFile + " does not belong to the certificate in "
            + "TLS_CERT_FILE " + certFile + " (" + certificate.getSubjectX500Principal().getName() + ")");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS_KEY_FILE " + keyFile + " does not belong to the certificate in "
          + "TLS_CERT_FILE " + certFile + ": " + e.getMessage());
    }
  }

  /**
   * PKCS#8 {@code PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }}
   * around a PKCS#1 or SEC1 key; the AlgorithmIdentifier (with the EC curve) is taken from the
   * certificate's {@code SubjectPublicKeyInfo}, whose first element it is.
   */
  static byte[] wrapInPkcs8(byte[] traditionalKey, X509Certificate certificate) {
    byte[] spki = certificate.getPublicKey().getEncoded();
    int[] outer = header(spki, 0); // SEQUENCE SubjectPublicKeyInfo
    int[] algId = header(spki, outer[0]);
    int algIdEnd = algId[0] + algId[1];
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // INTEGER 0
    body.write(spki, outer[0], algIdEnd - outer[0]);
    body.writeBytes(tlv(0x04, traditionalKey));
    return tlv(0x30, body.toByteArray());
  }

  /** {contentStart, contentLength} of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int lengthByte = der[at + 1] & 0xff;
    if (lengthByte < 0x80) {
      return new int[] {at + 2, lengthByte};
    }
    int n = lengthByte & 0x7f;
    int length = 0;
    for (int i = 0; i < n; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {at + 2 + n, length};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
