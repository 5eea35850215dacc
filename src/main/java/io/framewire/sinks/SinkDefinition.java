package io.framewire.sinks;

import java.util.Objects;

/**
 * One sink as an operator defined it ({@code POST /sinks}) and the store keeps it.
 *
 * @param id its name, {@code [A-Za-z0-9][A-Za-z0-9_.-]*} (at most 64)
 * @param filter which events it sends
 * @param startAtEarliest where a new sink starts: the oldest stored event (true) or after the newest (false, the default)
 * @param target where it sends them
 */
public record SinkDefinition(String id, SinkFilter filter, boolean startAtEarliest, TargetSpec target) {

  public SinkDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(target, "target");
  }
}
