/**
 * Verified access tokens are remembered per process until they expire, so a
 * busy client's requests skip the signature check; the memory must never make
 * an expired token good, nor a forged one.
 */
import { describe, expect, test } from "bun:test";
import { UnauthorizedError } from "../../src/lib/errors.ts";
import { createTokenIssuer } from "../../src/lib/tokens.ts";

describe("the verified-token memory", () => {
  test("a remembered token is refused once its expiry passes on the issuer's clock", async () => {
    let nowMs = Date.parse("2030-01-01T00:00:00Z");
    const tokens = createTokenIssuer({ secret: `s-${crypto.randomUUID()}-${crypto.randomUUID()}`, now: () => new Date(nowMs) });
    const { token } = await tokens.signAccess({ userId: 7, sessionId: crypto.randomUUID() }, 60);
    expect((await tokens.verifyAccess(token)).userId).toBe(7);
    nowMs += 59_000;
    expect((await tokens.verifyAccess(token)).userId).toBe(7); // remembered, still valid
    nowMs += 2_000;
    await expect(tokens.verifyAccess(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  test("remembering one token does not make a tampered copy of it good", async () => {
    const tokens = createTokenIssuer({ secret: `s-${crypto.randomUUID()}-${crypto.randomUUID()}` });
    const { token } = await tokens.signAccess({ userId: 7, sessionId: crypto.randomUUID() });
    await tokens.verifyAccess(token);
    const [header, payload, signature] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "8" })).toString("base64url");
    await expect(tokens.verifyAccess(`${header}.${forgedPayload}.${signature}`)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  test("another issuer (another secret) does not share the memory", async () => {
    const [a, b] = [createTokenIssuer({ secret: `a-${crypto.randomUUID()}-${crypto.randomUUID()}` }), createTokenIssuer({ secret: `b-${crypto.randomUUID()}-${crypto.randomUUID()}` })];
    const { token } = await a.signAccess({ userId: 1, sessionId: crypto.randomUUID() });
    await a.verifyAccess(token);
    await expect(b.verifyAccess(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
