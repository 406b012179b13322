# The floor: a bare nginx proxy_pass in front of the mock, what the relay is compared with (issue 23:
# streamed throughput at 64 connections ≥ 0.3 × this, same run). Sourced by ab.sh.
# Globals: WORK MOCK_PORT NGINX_PORT.
#
# nginx does nothing but pass requests through: two workers (one per core, `auto` here), kept-alive
# connections to the mock, HTTP/1.1 upstream, access log off, and `proxy_buffering off` so it streams each
# chunk as it comes, as a relay of SSE must (with buffering on it would collect the answer first).

NGINX_BIN=/usr/sbin/nginx

start_nginx() {
  [[ -x $NGINX_BIN ]] || { log "installing nginx"; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
  local dir=$WORK/nginx
  mkdir -p "$dir/logs" && chmod 0777 "$dir" "$dir/logs"
  cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  upstream mock { server 127.0.0.1:$MOCK_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
  "$NGINX_BIN" -c "$dir/nginx.conf" -p "$dir" || die "nginx did not start: $(cat "$dir/logs/error.log" 2>/dev/null)"
  wait_http "http://127.0.0.1:$NGINX_PORT/health" 10 || die "nginx does not answer on :$NGINX_PORT"
  log "nginx proxy_pass on :$NGINX_PORT -> mock :$MOCK_PORT ($("$NGINX_BIN" -v 2>&1))"
}

stop_nginx() {
  local dir=$WORK/nginx
  [[ -f $dir/nginx.pid ]] && "$NGINX_BIN" -c "$dir/nginx.conf" -p "$dir" -s quit 2>/dev/null || true
  rm -f "$dir/nginx.pid"
}
