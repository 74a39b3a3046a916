/**
 * A TCP proxy between the app and Redis that a test can cut and restore: how an
 * outage is staged without stopping the machine's Redis, which others share.
 * Cut: every open connection is closed and new ones are closed on arrival.
 */
import type { Socket } from "bun";

interface Side {
  peer?: Socket<Side>;
  /** Bytes for the peer that could not be written yet (before it connected, or under backpressure). */
  backlog: Uint8Array[];
}

function send(to: Socket<Side> | undefined, from: Side, chunk: Uint8Array) {
  if (!to || from.backlog.length) {
    from.backlog.push(chunk);
    return;
  }
  const written = to.write(chunk);
  if (written < chunk.length) from.backlog.push(chunk.subarray(written));
}

function drain(to: Socket<Side>, from: Side) {
  while (from.backlog.length) {
    const chunk = from.backlog[0]!;
    const written = to.write(chunk);
    if (written < chunk.length) {
      from.backlog[0] = chunk.subarray(written);
      return;
    }
    from.backlog.shift();
  }
}

export function startRedisProxy(redisUrl: string) {
  const target = new URL(redisUrl);
  let cut = false;
  const open = new Set<Socket<Side>>();

  const server = Bun.listen<Side>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      async open(client) {
        client.data = { backlog: [] };
        if (cut) return void client.end();
        open.add(client);
        try {
          const upstream = await Bun.connect<Side>({
            hostname: target.hostname,
            port: Number(target.port || 6379),
            data: { peer: client, backlog: [] },
            socket: {
              data: (up, chunk) => send(client, up.data, chunk),
              drain: (up) => drain(up, client.data), // upstream writable again: what the client sent is in the client's backlog
              close: () => void client.end(),
              error: () => void client.end(),
            },
          });
          open.add(upstream);
          client.data.peer = upstream;
          drain(upstream, client.data);
        } catch {
          client.end();
        }
      },
      data: (client, chunk) => send(client.data.peer, client.data, chunk),
      drain: (client) => client.data.peer && drain(client, client.data.peer.data),
      close: (client) => {
        open.delete(client);
        client.data.peer?.end();
      },
      error: (client) => void client.data.peer?.end(),
    },
  });

  return {
    url: `redis://127.0.0.1:${server.port}`,
    cut() {
      cut = true;
      for (const socket of open) socket.end();
      open.clear();
    },
    restore() {
      cut = false;
    },
    stop() {
      this.cut();
      server.stop(true);
    },
  };
}
