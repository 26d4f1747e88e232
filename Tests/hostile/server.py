#!/usr/bin/env python3
"""A hostile HTTP server for paysh's tests: every path misbehaves in its own way.

usage: server.py PORTFILE
Listens on 127.0.0.1 (a free port) and on 127.0.0.2 (the "other host" of a
redirect), writes "PORT" to PORTFILE once both listen, and serves until
killed. GET /_seen on either host answers the Authorization headers that
host was sent, one per line.

  /payments/redirect   302 to the other host (127.0.0.2), same path
  /payments/truncated  Content-Length 1000, 40 bytes sent, connection closed
  /payments/huge       a JSON string of 64 MB (over any sane cap)
  /payments/drip       headers, then one byte a second, forever
  /payments/silent     headers, then nothing for 30 s
  /payments/html       200 text/html, an error page
  /payments/badutf8    200 JSON whose string holds invalid UTF-8
  /payments/deep       200 JSON nested 100,000 arrays deep
  POST any path        307 to the other host (a redirect that keeps the method and body)
"""
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

seen = {"127.0.0.1": [], "127.0.0.2": []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        host = self.server.server_address[0]
        if self.path == "/_seen":
            self.send(200, "\n".join(seen[host]).encode(), "text/plain")
            return
        seen[host].append(self.headers.get("Authorization", "-"))
        name = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        if host == "127.0.0.2":
            self.send(200, b'{"payment": {"id": "from-the-other-host"}}')
        elif name == "redirect":
            self.send(302, b"", extra=[("Location", f"http://127.0.0.2:{self.server.server_address[1]}{self.path}")])
        elif name == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"payment": {"id": "pay_1", "amountCents"')
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif name == "huge":
            size = 64 << 20
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size + 2))
            self.end_headers()
            try:
                self.wfile.write(b'"')
                chunk = b"x" * (1 << 20)
                for _ in range(64):
                    self.wfile.write(chunk)
                self.wfile.write(b'"')
            except OSError:
                pass
        elif name == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
        elif name == "silent":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(30)
            self.close_connection = True
        elif name == "html":
            self.send(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif name == "badutf8":
            self.send(200, b'{"payment": {"id": "pay_\xff\xfe", "amountCents": 1}}')
        elif name == "deep":
            depth = 100_000
            self.send(200, b"[" * depth + b"]" * depth)
        else:
            self.send(404, b'{"error": "no such hostile path"}')


    def do_POST(self):
        host = self.server.server_address[0]
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        seen[host].append(self.headers.get("Authorization", "-"))
        if host == "127.0.0.2":
            self.send(200, b'{"id": "made-on-the-other-host"}')
        else:
            self.send(307, b"", extra=[("Location", f"http://127.0.0.2:{self.server.server_address[1]}{self.path}")])


def main():
    import signal
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    main_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = main_server.server_address[1]
    other = ThreadingHTTPServer(("127.0.0.2", port), Handler)
    for server in (main_server, other):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(port))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Event().wait()


if __name__ == "__main__":
    main()
