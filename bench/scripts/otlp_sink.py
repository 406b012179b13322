"""A stand-in OpenTelemetry collector for benchmarks: accepts OTLP/HTTP posts (POST /v1/traces and the like)
and answers 200 with an empty body, counting what it got. Run it, then point a relay at it with
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:PORT to measure what tracing costs the relay:
    python3 bench/scripts/otlp_sink.py [PORT]     (default 14318; prints posts and bytes on exit)
"""
import http.server
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 14318
received = {"posts": 0, "bytes": 0}


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        received["posts"] += 1
        received["bytes"] += length
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Sink)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        print(f"otlp sink: {received['posts']} posts, {received['bytes']} bytes", flush=True)
