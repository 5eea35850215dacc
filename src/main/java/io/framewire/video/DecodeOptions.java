package io.framewire.video;

import java.time.Duration;

/**
 * How to decode an input.
 *
 * @param stride keep frames 0, stride, 2·stride, … of the source (1 keeps all); skipped frames are
 *     still decoded (a video decoder needs them) but never converted to RGB
 * @param ioTimeout for network inputs: a connect or read that waits this long fails (FFmpeg's
 *     {@code timeout}/{@code rw_timeout}), so a stalled camera is noticed and a stop never waits longer
 * @param rtspTransport for rtsp:// inputs: {@code tcp} (RTP interleaved in the RTSP connection; works
 *     through NAT and firewalls) or {@code udp}
 */
public record DecodeOptions(int stride, Duration ioTimeout, String rtspTransport) {

  public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(10);

  public DecodeOptions {
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be at least 1, got " + stride);
    }
    if (ioTimeout == null || ioTimeout.isNegative() || ioTimeout.isZero()) {
      throw new IllegalArgumentException("ioTimeout must be positive");
    }
    if (!"tcp".equals(rtspTransport) && !"udp".equals(rtspTransport)) {
      throw new IllegalArgumentException("rtspTransport must be tcp or udp, got " + rtspTransport);
    }
  }

  public static DecodeOptions withStride(int stride) {
    return new DecodeOptions(stride, DEFAULT_IO_TIMEOUT, "tcp");
  }
}
