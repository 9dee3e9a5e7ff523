// A task module that fails to load.
throw new Error("broken module: cannot load");
export function never(): number {
  return 0;
}
