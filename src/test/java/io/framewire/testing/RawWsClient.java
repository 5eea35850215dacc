package io.framewire.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A WebSocket client on a bare {@link Socket}, for what well-behaved clients never do: send any
 * headers (Origin, Authorization), see the HTTP answer to a refused upgrade, and send frames while
 * never reading what the server writes.
 */
public final class RawWsClient implements AutoCloseable {

  /** The server's answer to the upgrade request. */
  public record Handshake(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final Random random = new Random(7);
  public final Handshake handshake;

  private RawWsClient(int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
    try {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer); // before connect, so the TCP window stays small
      }
      socket.setSoTimeout((int) WsTestClient.TIMEOUT.toMillis());
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WsTestClient.TIMEOUT.toMillis());
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
      StringBuilder request = new StringBuilder()
          .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
          .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(new byte[16])).append("\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      handshake = readHandshake();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RawWsClient connect(int port, String pathAndQuery, Map<String, String> headers) {
    return new RawWsClient(port, pathAndQuery, headers, 0);
  }

  /** A client whose socket receive buffer is {@code receiveBuffer} bytes (small: a stalled reader fills it fast). */
  public static RawWsClient connect(int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
    return new RawWsClient(port, pathAndQuery, headers, receiveBuffer);
  }

  private Handshake readHandshake() throws IOException {
    String status = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    String body = "";
    if (code != 101 && headers.containsKey("content-length")) {
      byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
      in.readFully(bytes);
      body = new String(bytes, StandardCharsets.UTF_8);
    }
    return new Handshake(code, headers, body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed during the handshake");
      }
      if (b != '\r') {
        buf.write(b);
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends one masked binary message (as clients must). */
  public void sendBinary(byte[] payload) throws IOException {
    sendFrame(0x2, true, payload, true);
  }

  /**
   * Sends one frame: {@code opcode} (0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong),
   * the FIN bit, and the payload, masked with a random key (as clients must) or, to break the
   * protocol, not.
   */
  public void sendFrame(int opcode, boolean fin, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (((long) payload.length >>> shift) & 0xff));
      }
    }
    byte[] mask = new byte[4];
    if (masked) {
      random.nextBytes(mask);
      frame.write(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Sends the header of a binary frame of {@code declared} bytes and only {@code sent} of them (a message cut mid-way). */
  public void sendPartial(int declared, int sent) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x82);
    frame.write(0x80 | 126);
    frame.write(declared >>> 8);
    frame.write(declared & 0xff);
    frame.write(new byte[4]); // zero mask: payload goes as is
    frame.write(new byte[sent]);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the next server frame's payload as text (text frames only; control frames are skipped). */
  public String readText() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == 1) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
      }
      if (frame.opcode() == 8) {
        throw new IOException("server closed the WebSocket");
      }
    }
  }

  /** One server frame: its opcode (1 text, 2 binary, 8 close, 9 ping, 10 pong) and payload. */
  public record Frame(int opcode, byte[] payload) {}

  /** Reads the next server frame, control frames included. */
  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Sends a masked close frame with {@code code} (the client's half of the close handshake). */
  public void sendClose(int code) throws IOException {
    out.write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, (byte) (code >>> 8), (byte) code});
    out.flush();
  }

  /** Reads until the server ends the connection: -1 at a clean end (FIN), an IOException at a reset. */
  public void readToEnd() throws IOException {
    byte[] sink = new byte[8192];
    while (in.read(sink) >= 0) {
      // discard
    }
  }

  /** Drops the TCP connection abruptly (RST, no close handshake). */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
