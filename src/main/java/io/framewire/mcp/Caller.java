package io.framewire.mcp;

import java.util.Optional;

/**
 * What the HTTP layer decided about a request's caller, handed to the tools through the SDK's
 * transport context: whether it may change the server (the admin rule of {@code /pipelines},
 * {@code /sources} and {@code /jobs}: {@code ADMIN_TOKEN}, or a loopback client without one).
 *
 * @param adminRefusal why the caller may not change the server, empty if it may
 */
public record Caller(Optional<String> adminRefusal) {

  static final String KEY = "framewire.caller";

  /** A caller the admin rule lets change the server. */
  public static Caller admin() {
    return new Caller(Optional.empty());
  }

  /** A caller that may read but not change, and why. */
  public static Caller reader(String why) {
    return new Caller(Optional.of(why));
  }

  /** Throws the refusal for a tool that changes the server. */
  void requireAdmin() {
    adminRefusal.ifPresent(why -> {
      throw new ToolError("forbidden", why);
    });
  }
}
