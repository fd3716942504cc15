"""A TCP proxy on loopback that a drill can cut: the way to make Redis or PostgreSQL unreachable, or frozen, for the
site alone, without touching the shared servers.

- `up`: bytes flow both ways;
- `down`: every open connection is closed and new ones are closed at once (a stopped or restarting server);
- `frozen`: connections are accepted and kept, and nothing is forwarded (a server stopped with kill -STOP).
"""

from __future__ import annotations

import socket
import threading


class Proxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.mode = "up"
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket | None]] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def set(self, mode: str) -> None:
        assert mode in ("up", "down", "frozen")
        with self._lock:
            self.mode = mode
            if mode == "down":
                self._close_pairs()

    def close(self) -> None:
        self._closed = True
        self.set("down")
        self._listener.close()

    def _close_pairs(self) -> None:
        for client, server in self._pairs:
            for sock in (client, server):
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
        self._pairs.clear()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                mode = self.mode
                if mode == "down":
                    client.close()
                    continue
                if mode == "frozen":
                    self._pairs.append((client, None))
                    continue
                try:
                    server = socket.create_connection(self.target, timeout=5)
                    server.settimeout(None)
                except OSError:
                    client.close()
                    continue
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while self.mode == "frozen":
                    threading.Event().wait(0.05)
                    if self._closed:
                        return
                if self.mode == "down":
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown() first: close() alone would not wake the other direction's thread blocked in recv(), and
            # the peer would see no end of the connection.
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
