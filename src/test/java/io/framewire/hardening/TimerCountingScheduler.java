package io.framewire.hardening;

import com.typesafe.config.Config;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.LightArrayRevolverScheduler;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's default scheduler (the timer wheel whose entries are the {@code TaskHolder}s seen in heap
 * histograms), counting for a test what schedules on it: every timer is attributed to the first
 * caller outside the scheduler and pekko's timer plumbing (e.g. a stream stage's class and method),
 * and kept until it has run or been cancelled. Selected with {@code pekko.scheduler.implementation}.
 *
 * <p>A cancelled timer stays in pekko's wheel until the wheel reaches its slot (at most one turn,
 * 512 × 10 ms by default), so the live {@code TaskHolder} count is roughly (timers scheduled per
 * second) × (time until each runs, capped at one wheel turn when cancelled) plus the {@link #pending}
 * ones: a plateau proportional to the rate, unless something leaves timers pending.
 */
public final class TimerCountingScheduler extends LightArrayRevolverScheduler {

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final Object CANCELLED;
  private static final Object EXECUTED;
  private static final Method TASK;

  static {
    try {
      Class<?> companion = Class.forName("org.apache.pekko.actor.LightArrayRevolverScheduler$");
      CANCELLED = companion.getField("org$apache$pekko$actor$LightArrayRevolverScheduler$$CancelledTask").get(null);
      EXECUTED = companion.getField("org$apache$pekko$actor$LightArrayRevolverScheduler$$ExecutedTask").get(null);
      TASK = Class.forName("org.apache.pekko.actor.LightArrayRevolverScheduler$TaskHolder").getMethod("task");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Map<Object, String> live = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> scheduled = new ConcurrentHashMap<>();

  public TimerCountingScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    super(config, log, threadFactory);
  }

  // Every timer, one-off or each round of a periodic one, goes through this method of pekko's.
  @Override
  public LightArrayRevolverScheduler.TimerTask org$apache$pekko$actor$LightArrayRevolverScheduler$$schedule(
      ExecutionContext executor, Runnable runnable, FiniteDuration delay) {
    LightArrayRevolverScheduler.TimerTask task =
        super.org$apache$pekko$actor$LightArrayRevolverScheduler$$schedule(executor, runnable, delay);
    String origin = origin();
    scheduled.computeIfAbsent(origin, k -> new LongAdder()).increment();
    if (task.getClass().getName().endsWith("$TaskHolder")) {
      live.put(task, origin);
    }
    return task;
  }

  private static String origin() {
    return WALKER.walk(frames -> frames
        .filter(f -> {
          String c = f.getClassName();
          return !c.startsWith("org.apache.pekko.actor.")
              && !c.startsWith("org.apache.pekko.stream.stage.TimerGraphStageLogic")
              && !c.startsWith("org.apache.pekko.stream.impl.PhasedFusingActorMaterializer")
              && !c.startsWith("org.apache.pekko.stream.Materializer")
              && !c.startsWith("org.apache.pekko.dispatch.")
              && !c.startsWith("scala.")
              && !c.equals(TimerCountingScheduler.class.getName());
        })
        .findFirst()
        .map(f -> f.getClassName().replaceAll("\\$\\$Lambda.*", "") + "." + f.getMethodName())
        .orElse("(pekko scheduler)"));
  }

  /** Timers not yet run nor cancelled, by origin (sorted). */
  public Map<String, Integer> pending() {
    Map<String, Integer> byOrigin = new TreeMap<>();
    for (Map.Entry<Object, String> e : live.entrySet()) {
      Object task = taskOf(e.getKey());
      if (task == CANCELLED || task == EXECUTED) {
        live.remove(e.getKey());
      } else {
        byOrigin.merge(e.getValue(), 1, Integer::sum);
      }
    }
    return byOrigin;
  }

  public int pendingTotal() {
    return pending().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Timers scheduled so far, by origin (sorted). */
  public Map<String, Long> scheduled() {
    Map<String, Long> byOrigin = new TreeMap<>();
    scheduled.forEach((k, v) -> byOrigin.put(k, v.sum()));
    return byOrigin;
  }

  public Set<String> origins() {
    return scheduled.keySet();
  }

  private static Object taskOf(Object holder) {
    try {
      return TASK.invoke(holder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
