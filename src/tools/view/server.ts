import { createReadStream, existsSync, statSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { KerasGraphError } from "../../ir/errors.js";
import { servedModelFiles } from "./model-files.js";

/** The viewer's built page (`npm run build:web`), beside dist/ and src/ in the package. */
export const WEB_ROOT = fileURLToPath(new URL("../../../dist-web/", import.meta.url));

export interface ViewServerOptions {
  /** A model file to open in the page (with its TF.js shards); none: the page waits for a drop. */
  model?: string;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** The built page's folder (default WEB_ROOT). */
  webRoot?: string;
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
};

/**
 * Serves the viewer on 127.0.0.1: the built page, and with a model `api/model` (the list of its files)
 * and `api/model/<i>` (each file's bytes), which the page fetches on load. Nothing else of the disk is
 * reachable: static paths are confined to the page's folder.
 */
export async function startViewServer(options: ViewServerOptions = {}): Promise<ViewServer> {
  const root = resolve(options.webRoot ?? WEB_ROOT);
  if (!existsSync(join(root, "index.html"))) {
    throw new KerasGraphError(
      `view: the viewer's page is not built (no ${join(root, "index.html")}). Run \`npm run build:web\` first.`,
    );
  }
  const files = options.model ? servedModelFiles(options.model) : [];
  const server = createServer((req, res) => {
    try {
      handle(req, res, root, files);
    } catch (e) {
      send(res, 500, "text/plain; charset=utf-8", `internal error: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => closeServer(server) };
}

function handle(req: IncomingMessage, res: ServerResponse, root: string, files: string[]): void {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "GET only");
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  if (path === "/api/model") {
    const list = files.map((f, i) => ({ name: basename(f), url: `api/model/${i}` }));
    return send(res, 200, "application/json", JSON.stringify({ files: list }));
  }
  const fileMatch = /^\/api\/model\/(\d+)$/.exec(path);
  if (fileMatch) {
    const file = files[Number(fileMatch[1])];
    return file
      ? stream(res, file, "application/octet-stream", req.method === "HEAD")
      : send(res, 404, "text/plain", "no such model file");
  }
  const target = resolve(root, `.${path === "/" ? "/index.html" : path}`);
  if (!(target + sep).startsWith(root + sep) || !existsSync(target) || !statSync(target).isFile()) {
    return send(res, 404, "text/plain", "not found");
  }
  stream(res, target, TYPES[extname(target)] ?? "application/octet-stream", req.method === "HEAD");
}

function stream(res: ServerResponse, file: string, type: string, headOnly: boolean): void {
  res.writeHead(200, { "Content-Type": type, "Content-Length": statSync(file).size, "Cache-Control": "no-store" });
  if (headOnly) res.end();
  else createReadStream(file).pipe(res);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}
