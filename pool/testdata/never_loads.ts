// A task module whose top-level await never settles.
await new Promise(() => {});
export const never = (): number => 1;
