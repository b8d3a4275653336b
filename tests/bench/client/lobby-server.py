#!/usr/bin/env python3
"""Serve the browser lobby page and record when it reports its first frame.

Usage: lobby-server.py DIRECTORY PORT_FILE DRAWN_FILE
Listens on 127.0.0.1 on a free port, writes the port to PORT_FILE, serves
DIRECTORY, and writes the body of each POST /drawn to DRAWN_FILE.
"""
import functools
import http.server
import sys

directory, port_file, drawn_file = sys.argv[1:4]


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.path == "/drawn":
            with open(drawn_file, "wb") as drawn:
                drawn.write(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
with open(port_file, "w") as port:
    port.write(str(server.server_address[1]))
server.serve_forever()
