export * from "./errors.ts";
export * from "./redis_pool.ts";
export * from "./serve.ts";
