package io.framewire.jobs;

/**
 * A job as the store keeps it (the {@code jobs} table) and the actor holds it.
 *
 * @param seq submission order
 * @param input the relative path under the input directory, the URL, or the uploaded file's name
 * @param framesTotal frames the job will process, -1 while unknown
 * @param error why it failed; null otherwise
 * @param startedAt epoch ms, 0 until it runs
 * @param finishedAt epoch ms, 0 until it ends
 */
record JobRecord(String id, long seq, String pipelineId, String input, InputKind kind, int stride, long maxFrames,
    JobState state, long framesDone, long framesTotal, String error, long createdAt, long startedAt,
    long finishedAt) {

  /** What {@link #input} names. */
  enum InputKind { PATH, URL, UPLOAD }

  JobRecord queued() {
    return new JobRecord(id, seq, pipelineId, input, kind, stride, maxFrames, JobState.QUEUED, 0, -1, null, createdAt,
        0, 0);
  }

  JobRecord running(long now) {
    return new JobRecord(id, seq, pipelineId, input, kind, stride, maxFrames, JobState.RUNNING, 0, framesTotal, null,
        createdAt, now, 0);
  }

  JobRecord withTotal(long total) {
    return new JobRecord(id, seq, pipelineId, input, kind, stride, maxFrames, state, framesDone, total, error,
        createdAt, startedAt, finishedAt);
  }

  JobRecord ended(JobState end, long frames, String why, long now) {
    long total = end == JobState.DONE ? frames : framesTotal;
    return new JobRecord(id, seq, pipelineId, input, kind, stride, maxFrames, end, frames, total, why, createdAt,
        startedAt, now);
  }
}
