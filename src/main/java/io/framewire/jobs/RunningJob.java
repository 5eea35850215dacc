package io.framewire.jobs;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.KillSwitch;

/**
 * One job's stream while it runs: how to stop it, the frames it has written (counted by the stream,
 * read by the actor for a status: no message per frame) and its end.
 *
 * @param done completes when the stream has ended (fails with the reason it failed)
 * @param startedNanos {@code System.nanoTime()} at its start, for the rate
 */
record RunningJob(KillSwitch kill, AtomicLong frames, CompletionStage<?> done, long startedNanos) {}
