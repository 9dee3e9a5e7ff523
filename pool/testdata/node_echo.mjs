// A Node-style worker file for the piscina and tinypool round-trip benchmark.
export default function echo(value) {
  return value;
}
