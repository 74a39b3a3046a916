/**
 * The client's address: the socket's, or, behind `trustedHops` proxies we run,
 * the address the outermost of them saw (X-Forwarded-For, read from the right:
 * entries further left were written by the client itself and prove nothing).
 */
export function clientIp(socketAddress: string | null, forwardedFor: string | null, trustedHops: number): string | null {
  if (trustedHops <= 0 || !forwardedFor) return socketAddress;
  const chain = forwardedFor
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const hops = [...chain, socketAddress ?? ""];
  const index = hops.length - 1 - trustedHops;
  const address = hops[Math.max(0, index)]!;
  return /^[0-9a-fA-F.:]{2,45}$/.test(address) ? address : socketAddress;
}
