# An example of newsroom-backend.vcl (copy it beside newsroom.vcl, or into vcl_path): where
# `newsroom serve` listens; one server, or several behind a round-robin director.
backend newsroom {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 30s;
    # A stream sends a heartbeat every 15 s: wait longer than that between bytes.
    .between_bytes_timeout = 60s;
}
