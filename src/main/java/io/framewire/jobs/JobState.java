package io.framewire.jobs;

import java.util.Locale;

/** Where a job stands; the API spells it in lower case. */
public enum JobState {
  QUEUED, RUNNING, DONE, FAILED, CANCELLED;

  /** {@code queued}, {@code running}, … */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the job has ended (its results file is complete). */
  public boolean finished() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }

  static JobState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
