package io.framewire.fuzz;

import io.framewire.cli.RunCommand;
import io.framewire.video.DecodeOptions;
import io.framewire.video.FfmpegFrames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The child JVM of {@link VideoFuzzTest}: decodes every file of a directory with the server's
 * decoder ({@link FfmpegFrames}), and runs {@code framewire run echo FILE} on the first {@code
 * cli} of them, printing one line per step: {@code case NAME} before (so a native crash names its
 * file), then {@code ok NAME frames=N}, {@code refused NAME: MESSAGE} or {@code cli NAME status=S
 * stderr=…}. Exits 0 when every file was decoded or refused, 3 when one hung.
 *
 * <p>Usage: {@code DecodeFuzzMain DIR CLI_COUNT}
 */
public final class DecodeFuzzMain {

  private DecodeFuzzMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int cli = Integer.parseInt(args[1]);
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "decode-fuzz");
    int status = 0;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String name = file.getFileName().toString();
      System.out.println("case " + name);
      System.out.flush();
      try {
        long frames = FfmpegFrames.create(file.toString(), DecodeOptions.withStride(1))
            .runWith(Sink.fold(0L, (n, frame) -> n + 1), system)
            .toCompletableFuture().get(20, TimeUnit.SECONDS);
        System.out.println("ok " + name + " frames=" + frames);
      } catch (TimeoutException e) {
        System.out.println("hang " + name);
        status = 3;
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        System.out.println("refused " + name + ": " + oneLine(String.valueOf(e.getCause().getMessage())));
      }
      if (i < cli) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RunCommand.run(new String[] {"echo", file.toString(), "--max-frames", "100"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        System.out.println("cli " + name + " status=" + code + " stderr=" + oneLine(err.toString(StandardCharsets.UTF_8)));
      }
      System.out.flush();
    }
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    System.out.flush();
    Runtime.getRuntime().halt(status); // not exit(): a stuck non-daemon decoder thread must not keep it alive
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').strip();
  }
}
