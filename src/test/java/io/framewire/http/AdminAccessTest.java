package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

  private static HttpRequest from(String ip) {
    return HttpRequest.POST("/pipelines")
        .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(new InetSocketAddress(ip, 40000)));
  }

  @Test
  void withoutATokenOnlyLoopbackClientsMayMutate() {
    AdminAccess access = new AdminAccess("");
    assertEquals(Optional.empty(), access.check(from("127.0.0.1")));
    assertEquals(Optional.empty(), access.check(from("127.0.0.2")));
    assertEquals(Optional.empty(), access.check(from("::1")));
    var refusal = access.check(from("192.0.2.10")).orElseThrow();
    assertEquals(StatusCodes.FORBIDDEN, refusal.status());
    assertEquals("forbidden", refusal.error());
    assertTrue(refusal.detail().contains("ADMIN_TOKEN"), refusal.detail());
  }

  @Test
  void aForwardingHeaderDoesNotMakeARemoteClientLocal() {
    AdminAccess access = new AdminAccess("");
    HttpRequest forged = from("192.0.2.10")
        .addHeader(RawHeader.create("X-Forwarded-For", "127.0.0.1"))
        .addHeader(RawHeader.create("X-Real-Ip", "127.0.0.1"));
    assertEquals(StatusCodes.FORBIDDEN, access.check(forged).orElseThrow().status());
  }

  @Test
  void aRequestWithoutAPeerAddressIsRefused() {
    assertEquals(StatusCodes.FORBIDDEN, new AdminAccess("").check(HttpRequest.POST("/x")).orElseThrow().status());
  }

  @Test
  void withATokenAnyAddressNeedsTheBearerToken() {
    AdminAccess access = new AdminAccess("s3cret");
    assertTrue(access.tokenRequired());
    var missing = access.check(from("127.0.0.1")).orElseThrow();
    assertEquals(StatusCodes.UNAUTHORIZED, missing.status());
    assertTrue(missing.detail().contains("Bearer"), missing.detail());
    var wrong = access.check(from("127.0.0.1").addHeader(Authorization.oauth2("nope"))).orElseThrow();
    assertEquals("the admin token is not valid", wrong.detail());
    assertEquals(Optional.empty(),
        access.check(from("192.0.2.10").addHeader(Authorization.oauth2("s3cret"))));
  }
}
