/** The marketplace fixtures now live in fixtures.ts (one module); this path stays for existing imports. */
export * from "./fixtures.ts";
