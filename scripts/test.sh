#!/usr/bin/env bash
# Runs all the tests on a fresh Debian machine: installs what the suite needs and this machine lacks
# (with apt-get; as root, or through sudo), then runs `mvn -B verify` (extra arguments are passed on).
#
# What it installs, and why:
#   maven, nodejs                      the build, and the Node unit tests of the browser client
#   npm                                installs the MCP client the MCP tests drive (below)
#   chromium, chromium-driver          the headless-browser tests (Selenium drives a real Chromium)
#   libturbojpeg-java, libturbojpeg0-dev  libjpeg-turbo's Java binding and native library (JpegDecoderTest checks both decoders)
#   openssl                            the TLS tests make their certificates with the openssl CLI
#   ffmpeg                             video files and live sources; tests serve MPEG-TS over HTTP/TCP with it
#   python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-base/-good   GStreamer's RTSP server for rtsp:// tests
#   python3-websockets                 DocsSnippetsTest runs docs/client.md's Python client with Debian's python3
#   postgresql                         the event store's tests run against a real PostgreSQL the test starts (initdb in a temp dir)
#   mosquitto                          the MQTT sink's tests start a real broker (the binary, not the service)
#
# Then, if src/test/mcp-client/node_modules is missing, `npm ci` there: the official TypeScript MCP
# SDK at the version its package-lock.json pins, the client McpClientTest drives (the only download
# the tests need; the Maven build itself needs nothing more than its dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -r /usr/share/java/turbojpeg.jar ] || need+=(libturbojpeg-java)
[ -e /usr/lib/x86_64-linux-gnu/libturbojpeg.so ] || need+=(libturbojpeg0-dev)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
/usr/bin/python3 -c 'import gi' >/dev/null 2>&1 || need+=(python3-gi)
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || need+=(python3-websockets)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
for pkg in gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

# ConnectionFloodTest holds 2,000 connections (about 4,100 descriptors in the test JVM); the JVM
# raises its soft limit to the hard one by itself, but make sure the soft limit is not the bottleneck
# where the hard limit allows (only as far as needed).
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  ulimit -n "$(ulimit -Hn | awk '{ print ($1 == "unlimited" || $1 > 8192) ? 8192 : $1 }')" || true
fi

if [ ! -d src/test/mcp-client/node_modules ]; then
  (cd src/test/mcp-client && npm ci --no-audit --no-fund)
fi

exec mvn -B verify "$@"
