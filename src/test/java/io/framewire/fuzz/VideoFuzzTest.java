package io.framewire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestVideos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted and truncated videos (H.264 in MP4, in MPEG-TS and as a raw Annex B stream, made here by
 * FFmpeg's encoder, then mutated) fed to the server's decoder and to {@code framewire run}, in a
 * child JVM ({@link DecodeFuzzMain}): a crash inside FFmpeg's native code ends that JVM, not the
 * test's, and fails the property with the seed and the file it was decoding. Each file is decoded
 * or refused with a message without a class name, within 20 s.
 */
class VideoFuzzTest {

  @TempDir static Path dir;
  private static final List<byte[]> ORIGINALS = new ArrayList<>();

  @BeforeAll
  static void encode() throws IOException {
    TestVideos.Painter painter = (i, rgb, w, h) -> {
      for (int p = 0; p < rgb.length; p++) {
        rgb[p] = (byte) ((p / 3 % w + 4 * i) * (p % 3 + 1));
      }
    };
    ORIGINALS.add(Files.readAllBytes(TestVideos.h264(dir.resolve("o.mp4"), 12, 96, 64, painter)));
    ORIGINALS.add(Files.readAllBytes(TestVideos.encode(dir.resolve("o.ts"), "mpegts", avcodec.AV_CODEC_ID_H264,
        avutil.AV_PIX_FMT_YUV420P, 12, 96, 64, painter)));
    ORIGINALS.add(Files.readAllBytes(TestVideos.encode(dir.resolve("o.h264"), "h264", avcodec.AV_CODEC_ID_H264,
        avutil.AV_PIX_FMT_YUV420P, 12, 96, 64, painter)));
  }

  /** A batch of mutated files: name (which says the container) → bytes. */
  record Batch(List<String> names, List<byte[]> files) {
    @Override
    public String toString() {
      return names.toString();
    }
  }

  @Test
  void corruptedVideosAreDecodedOrRefusedWithoutCrashingTheDecoder() {
    Gen<Batch> batches = r -> {
      List<String> names = new ArrayList<>();
      List<byte[]> files = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int which = r.nextInt(ORIGINALS.size());
        names.add(String.format("%02d.%s", i, new String[] {"mp4", "ts", "h264"}[which]));
        files.add(mutate(ORIGINALS.get(which), r));
      }
      return new Batch(names, files);
    };
    Fuzz.check("video-decode", 2, batches, (batch, stats) -> {
      Path cases = Files.createTempDirectory(dir, "batch");
      for (int i = 0; i < batch.names().size(); i++) {
        Files.write(cases.resolve(batch.names().get(i)), batch.files().get(i));
      }
      ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Dframewire.events.enabled=false",
          DecodeFuzzMain.class.getName(), cases.toString(), "2").redirectErrorStream(true);
      Process process = child.start();
      byte[] output = process.getInputStream().readAllBytes(); // until the child ends (or dies)
      boolean ended = process.waitFor(120, TimeUnit.SECONDS);
      String log = new String(output, StandardCharsets.UTF_8);
      List<String> lines = log.lines().filter(l -> l.matches("(case|ok|refused|cli|hang) .*")).toList();
      String last = lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1);
      assertTrue(ended, "the child did not end; last step: " + last);
      assertEquals(0, process.exitValue(), "the decoder's JVM died or hung (exit " + process.exitValue()
          + "); last step: " + last + "\n" + Answers.clip(log));
      for (String name : batch.names()) {
        String outcome = lines.stream().filter(l -> l.startsWith("ok " + name) || l.startsWith("refused " + name))
            .findFirst().orElseThrow(() -> new AssertionError(name + " has no outcome:\n" + Answers.clip(log)));
        stats.collect("decoder", name.substring(name.indexOf('.') + 1) + " " + outcome.split(" ")[0]);
        Answers.assertNoLeak(name, outcome);
      }
      lines.stream().filter(l -> l.startsWith("cli ")).forEach(l -> {
        stats.collect("framewire run", l.replaceAll("^cli \\S+ (status=\\d).*", "$1"));
        assertTrue(l.contains("status=0") || l.contains("status=1"), l);
        Answers.assertNoLeak("framewire run", l);
      });
    });
  }

  /** Byte flips, overwritten runs, cuts, duplicated and dropped chunks; the first bytes kept mostly. */
  static byte[] mutate(byte[] video, SplittableRandom r) {
    byte[] out = video.clone();
    int edits = 1 + r.nextInt(12);
    for (int e = 0; e < edits; e++) {
      int at = r.nextInt(4) == 0 ? r.nextInt(Math.min(out.length, 200)) : r.nextInt(out.length);
      switch (r.nextInt(6)) {
        case 0 -> out[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> { // a run of random bytes
          for (int i = at; i < Math.min(out.length, at + 1 + r.nextInt(256)); i++) {
            out[i] = (byte) r.nextInt(256);
          }
        }
        case 2 -> out = java.util.Arrays.copyOf(out, Math.max(1, at)); // truncated
        case 3 -> { // a chunk dropped (an MPEG-TS packet is 188 bytes)
          int len = Math.min(out.length - at, 1 + r.nextInt(400));
          byte[] shorter = new byte[out.length - len];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + len, shorter, at, out.length - at - len);
          out = shorter.length == 0 ? new byte[] {0} : shorter;
        }
        case 4 -> { // a chunk duplicated
          int len = Math.min(out.length - at, 1 + r.nextInt(400));
          byte[] longer = new byte[out.length + len];
          System.arraycopy(out, 0, longer, 0, at + len);
          System.arraycopy(out, at, longer, at + len, out.length - at);
          out = longer;
        }
        default -> { // 0xFF or 0x00 runs: start codes and sizes gone wrong
          java.util.Arrays.fill(out, at, Math.min(out.length, at + 1 + r.nextInt(16)), r.nextBoolean() ? (byte) 0xff : 0);
        }
      }
    }
    return out;
  }
}
