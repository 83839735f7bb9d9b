import { mkdtempSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startViewServer } from "../../src/tools/view/server.js";
import { FIXTURES } from "../fixture-files.js";
import { WEB_ROOT, ensureWebBuild } from "../../tools/web-build.js";

const TFJS = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs/model.json");

/** A GET with the path sent as written (fetch would normalize `..` away). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((ok, fail) => {
    const req = request(new URL(url), { path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => ok({ status: res.statusCode!, body, type: String(res.headers["content-type"]) }));
    });
    req.on("error", fail);
    req.end();
  });
}

beforeAll(() => ensureWebBuild(), 180_000);

describe("view server", () => {
  it("serves the page and its wasm on 127.0.0.1, and no model when none was given", async () => {
    const server = await startViewServer({ webRoot: WEB_ROOT });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await rawGet(server.url, "/");
      expect(page.status).toBe(200);
      expect(page.body).toContain('id="diagram"');
      const script = page.body.match(/assets\/[^"]+\.js/)![0];
      expect((await rawGet(server.url, `/${script}`)).type).toContain("javascript");
      const wasm = readdirSync(join(WEB_ROOT, "assets")).filter((f) => f.endsWith(".wasm"));
      expect(wasm).toHaveLength(1); // onnxruntime-web's; h5wasm's and Graphviz's are inlined in the scripts
      expect((await rawGet(server.url, `/assets/${wasm[0]}`)).type).toBe("application/wasm");
      expect(JSON.parse((await rawGet(server.url, "/api/model")).body)).toEqual({ files: [] });
    } finally {
      await server.close();
    }
  });

  it("lists a TF.js model.json with its shard, and serves their bytes", async () => {
    const server = await startViewServer({ webRoot: WEB_ROOT, model: TFJS });
    try {
      const list = JSON.parse((await rawGet(server.url, "/api/model")).body) as {
        files: { name: string; url: string }[];
      };
      expect(list.files.map((f) => f.name)).toEqual(["model.json", "group1-shard1of1.bin"]);
      const shard = await fetch(new URL(list.files[1]!.url, server.url));
      expect((await shard.arrayBuffer()).byteLength).toBe(54 * 2 * 4 + 2 * 4);
      expect((await rawGet(server.url, "/api/model/7")).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("serves nothing outside the page's folder", async () => {
    const server = await startViewServer({ webRoot: WEB_ROOT });
    try {
      for (const path of [
        "/../package.json",
        "/%2e%2e/package.json",
        "/..%2fpackage.json",
        "/assets/../../package.json",
      ]) {
        expect((await rawGet(server.url, path)).status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });

  it("says to build the page when it is missing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "kerasgraph-web-"));
    await expect(startViewServer({ webRoot: empty })).rejects.toThrow(/npm run build:web/);
  });
});

describe("kerasgraph view", () => {
  it("prints the page's URL, serves the model, and stops on Ctrl-C with exit 0", async () => {
    let out = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) } };
    const done = main(["view", TFJS], io);
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/kerasgraph viewer: http:\/\/127\.0\.0\.1:\d+\//);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0];
    expect(JSON.parse(await (await fetch(`${url}api/model`)).text()).files).toHaveLength(2);
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });

  it("exits 1 naming a missing model file", async () => {
    let err = "";
    const code = await main(["view", join(FIXTURES, "nope.keras")], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(code).toBe(1);
    expect(err).toMatch(/nope\.keras: no such file or directory/);
  });
});
