/**
 * HTTP load generator for bench/http.ts. It runs in a Worker so the client's
 * own work (fetch, parsing) does not share an event loop with the servers it
 * measures. One message in, one message out: { ok, failed, ms, firstFailure }.
 */
declare const self: Worker;

export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  ms: number;
  /** What the first failed request got back, so a run that measured errors says so. */
  firstFailure?: string;
}

self.onmessage = async (event: MessageEvent<LoadRequest>) => {
  const { url, headers, concurrency, durationMs } = event.data;
  let ok = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          const response = await fetch(url, { headers });
          const body = await response.text(); // read the body: the connection is reused only once it is drained
          if (response.ok) ok++;
          else {
            failed++;
            firstFailure ??= `HTTP ${response.status} ${body.slice(0, 200)}`;
          }
        } catch (error) {
          failed++;
          firstFailure ??= String(error);
        }
      }
    }),
  );
  self.postMessage({ ok, failed, ms: performance.now() - started, firstFailure } satisfies LoadResult);
};
