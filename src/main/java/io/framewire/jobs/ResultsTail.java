package io.framewire.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.pekko.util.ByteString;

/**
 * Reads a results file that may still grow: each {@link #read} returns the complete lines written
 * since the last one (a line being written is kept back until its newline is there). Blocking.
 */
final class ResultsTail implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;

  private final Path file;
  private FileChannel channel; // null until the file exists
  private ByteString partial = ByteString.emptyByteString();

  ResultsTail(Path file) {
    this.file = file;
  }

  /** The complete lines now available, empty if none. */
  ByteString read() {
    try {
      if (channel == null) {
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          return ByteString.emptyByteString(); // the job has not started
        }
      }
      ByteString bytes = partial;
      int end = 0;
      // Until a whole line is there, or nothing more is (a line longer than a chunk takes several reads).
      while (end == 0) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        if (channel.read(buffer) <= 0) {
          break;
        }
        buffer.flip();
        bytes = bytes.concat(ByteString.fromByteBuffer(buffer));
        end = lastNewline(bytes) + 1;
      }
      partial = bytes.drop(end);
      return bytes.take(end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int lastNewline(ByteString bytes) {
    for (int i = bytes.size() - 1; i >= 0; i--) {
      if (bytes.apply(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only: nothing lost
      }
    }
  }
}
