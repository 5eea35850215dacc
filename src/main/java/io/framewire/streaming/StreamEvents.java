package io.framewire.streaming;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Logs the structured streaming events ({@code stream_connect}, {@code stream_error}, …): the
 * {@code event_type} and the given fields go into the MDC for the one log call, so the JSON encoder
 * writes each as a top-level key and LoggingTestKit can match them.
 */
public final class StreamEvents {

  private StreamEvents() {}

  public static void log(
      Logger log, Level level, String eventType, Map<String, String> fields, String message, Object... args) {
    MDC.put("event_type", eventType);
    fields.forEach(MDC::put);
    try {
      log.atLevel(level).log(message, args);
    } finally {
      MDC.remove("event_type");
      fields.keySet().forEach(MDC::remove);
    }
  }
}
