# The idle scenario's reference room (reference-room.js) in plain workerd: the same
# binary and storage kind as workerd/chatalot.capnp's rooms. The bench gives the
# listening address and the storage directory at run time (-s, -d), as serve.sh does.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "rooms", worker = .rooms),
    # SQLite-backed Durable Object storage, like Chatalot's rooms.
    (name = "storage", disk = (path = "/nonexistent", writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "rooms")],
);

const rooms :Workerd.Worker = (
  modules = [(name = "reference-room.js", esModule = embed "reference-room.js")],
  compatibilityDate = "2026-11-01",
  bindings = [(name = "ROOM", durableObjectNamespace = "ReferenceRoom")],
  durableObjectNamespaces = [(className = "ReferenceRoom", uniqueKey = "bench-reference-room", enableSql = true)],
  durableObjectStorage = (localDisk = "storage"),
);
