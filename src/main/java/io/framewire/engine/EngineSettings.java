package io.framewire.engine;

import io.framewire.eventstore.EventStoreSettings;
import io.framewire.inference.InferenceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Engine} is built from: the {@code framewire.pipelines} and {@code
 * framewire.inference} and {@code framewire.events} settings (docs/configuration.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * @param pipelinesDir the directory of extra pipeline files ({@code PIPELINES_DIR}), if any
 * @param watchPipelines whether that directory is hot-reloaded ({@code PIPELINES_WATCH})
 * @param watchDebounce quiet time after the last file event before the directory is rescanned
 * @param inference the models of the {@code onnx} tools
 * @param events the event store (docs/events.md)
 */
public record EngineSettings(
    Optional<Path> pipelinesDir,
    boolean watchPipelines,
    Duration watchDebounce,
    InferenceSettings inference,
    EventStoreSettings events) {

  /** The longest debounce: beyond it a save no longer shows "within about a second". */
  public static final Duration MAX_DEBOUNCE = Duration.ofMillis(1500);

  public EngineSettings {
    Objects.requireNonNull(pipelinesDir, "pipelinesDir");
    Objects.requireNonNull(inference, "inference");
    Objects.requireNonNull(events, "events");
    if (watchDebounce.isNegative() || watchDebounce.compareTo(MAX_DEBOUNCE) > 0) {
      throw new IllegalArgumentException("framewire.pipelines.watch-debounce-ms must be 0..1500, got "
          + watchDebounce.toMillis());
    }
  }

  /** The same without hot reload: for one run over one input, which reads its pipeline once. */
  public EngineSettings withoutWatching() {
    return new EngineSettings(pipelinesDir, false, watchDebounce, inference, events);
  }

  /** The same without an event store ({@code framewire run}; servers that keep no events). */
  public EngineSettings withoutEvents() {
    return new EngineSettings(pipelinesDir, watchPipelines, watchDebounce, inference, events.off());
  }

  /** The same with {@code events} as the event store's settings. */
  public EngineSettings withEvents(EventStoreSettings newEvents) {
    return new EngineSettings(pipelinesDir, watchPipelines, watchDebounce, inference, newEvents);
  }
}
