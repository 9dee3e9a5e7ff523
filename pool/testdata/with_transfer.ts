// A task module that uses the `transfer` helper from the package.
import { transfer } from "../mod.ts";

export function fill(n: number) {
  const bytes = new Uint8Array(n).fill(9);
  return transfer(bytes, [bytes.buffer]);
}
