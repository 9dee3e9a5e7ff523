/**
 * A static file server for the browser tests: `dist/` under `/dist/`, the test page
 * (`_tools/browser/page/`) under `/`. Every response is cross-origin isolated
 * (`Cross-Origin-Opener-Policy: same-origin`, `Cross-Origin-Embedder-Policy: require-corp`) and
 * same-origin only (`Cross-Origin-Resource-Policy: same-origin`), so the page has
 * `crossOriginIsolated === true` and `SharedArrayBuffer`, and module workers load.
 *
 * @module
 */

/** The headers sent with every response, files and errors alike. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** A running server; `close()` stops it and waits until it has stopped. */
export interface TestServer {
  /** The origin, e.g. `http://127.0.0.1:41235`. */
  origin: string;
  /** Stops accepting connections, ends open ones and resolves once the server is finished. */
  close(): Promise<void>;
}

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** The repository root. @default the grandparent of this file's folder */
  root?: URL;
}

/** Maps a request path to a file, or `undefined` if it leaves the served folders. */
export function resolvePath(root: URL, pathname: string): URL | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes("\0") || path.split("/").some((s) => s === ".." || s === ".")) {
    return undefined;
  }
  if (path === "/") path = "/index.html";
  if (path.startsWith("/dist/")) return new URL(`dist/${path.slice(6)}`, root);
  return new URL(`_tools/browser/page/${path.slice(1)}`, root);
}

/** Starts the server on 127.0.0.1 on a free port. */
export function serve(options: ServeOptions = {}): TestServer {
  const root = options.root ?? new URL("../../", import.meta.url);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const headers = new Headers(ISOLATION_HEADERS);
      const url = new URL(req.url);
      const file = req.method === "GET" || req.method === "HEAD"
        ? resolvePath(root, url.pathname)
        : undefined;
      if (!file) return new Response("not found\n", { status: 404, headers });
      try {
        const body = await Deno.readFile(file);
        const ext = url.pathname.match(/\.[a-z]+$/)?.[0] ?? ".html";
        headers.set("Content-Type", TYPES[ext] ?? "application/octet-stream");
        return new Response(req.method === "HEAD" ? null : body, { headers });
      } catch {
        return new Response("not found\n", { status: 404, headers });
      }
    },
  );
  const addr = server.addr as Deno.NetAddr;
  return {
    origin: `http://127.0.0.1:${addr.port}`,
    async close() {
      await server.shutdown();
    },
  };
}
