package io.framewire.pipeline;

/** A pipeline file could not be loaded; the message starts with the file and names the problem. */
public class PipelineLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public PipelineLoadException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file: a path, or {@code classpath:pipelines/<name>.json} for a built-in. */
  public String file() {
    return file;
  }
}
