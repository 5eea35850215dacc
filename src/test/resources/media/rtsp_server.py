#!/usr/bin/python3
"""A tiny RTSP server for the tests: GStreamer's RTSP server (Debian: gir1.2-gst-rtsp-server-1.0,
python3-gi, gstreamer1.0-plugins-base/-good) serving a live moving-ball test pattern as RTP/JPEG at
rtsp://127.0.0.1:PORT/cam. Prints "ready" once it listens; runs until killed."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port = sys.argv[1]
size = sys.argv[2] if len(sys.argv) > 2 else "320x240"
width, height = size.split("x")
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=%s,height=%s,framerate=25/1 "
    "! jpegenc ! rtpjpegpay name=pay0 pt=26 )" % (width, height))
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    sys.exit("could not listen on 127.0.0.1:%s" % port)
print("ready", flush=True)
GLib.MainLoop().run()
