/**
 * What one API process tells the others through Redis pub/sub: "tenant N was
 * flushed" (drop your remembered generation of it) and "forget these tenant
 * refs" (a purged business's tenantKey and slug). A message carries no value
 * to adopt, only something to forget: the next read goes to Redis, so messages
 * arriving out of order cannot leave a process on an old generation.
 *
 * Messages sent while a subscriber is disconnected are lost, so every
 * (re)connection of the subscriber also makes its process forget everything
 * it remembers. On memory there is one process and nothing to send.
 */
import type Redis from "ioredis";
import { logger } from "../lib/logger.ts";
import type { CacheStore } from "./cache-store.ts";

export type CacheEvent = { type: "flushed"; tenantId: number } | { type: "forget-refs"; refs: string[] };

export interface CacheEvents {
  publish(event: CacheEvent): Promise<void>;
  close(): Promise<void>;
}

export function createCacheEvents(store: CacheStore, onEvent: (event: CacheEvent) => void, onResync: () => void): CacheEvents {
  if (!store.redis) return { publish: async () => {}, close: async () => {} };
  const channel = `${store.prefix}:cache-events`;
  // A subscribed connection cannot send other commands: a second connection, allowed to queue its SUBSCRIBE until connected.
  const subscriber: Redis = store.redis.duplicate({ enableOfflineQueue: true, connectionName: "desibazaar-cache-events" });
  subscriber.on("error", () => {}); // the main connection logs outages
  subscriber.on("ready", onResync);
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    try {
      onEvent(JSON.parse(text) as CacheEvent);
    } catch (error) {
      logger.warn({ err: error }, "cache: ignored a malformed cache event");
    }
  });
  subscriber.subscribe(channel).catch(() => {}); // retried on reconnect (autoResubscribe)

  return {
    async publish(event) {
      if (!store.isUp()) return; // the others resync when they (or we) reconnect
      await store.redis!.publish(channel, JSON.stringify(event)).catch((error: unknown) => store.failed(error));
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
