/**
 * What the page gets for Node's built-in modules (vite.config.ts aliases every `node:*` import here).
 * The readers the page shares with the CLI import their file-system halves at the top of a module,
 * but the page only calls the byte-level entry points (formats/read-bytes.ts); these stand-ins make a
 * stray call fail loudly instead of a bundling error or a silent no-op.
 */
function unavailable(name: string) {
  return (..._args: unknown[]): never => {
    throw new Error(`${name} is a Node API; it is not available in the browser viewer.`);
  };
}

export const open = unavailable("fs.open");
export const readFile = unavailable("fs.readFile");
export const writeFile = unavailable("fs.writeFile");
export const mkdir = unavailable("fs.mkdir");
export const stat = unavailable("fs.stat");
export const lstat = unavailable("fs.lstat");
export const readdir = unavailable("fs.readdir");
export const openSync = unavailable("fs.openSync");
export const closeSync = unavailable("fs.closeSync");
export const readSync = unavailable("fs.readSync");
export const writeSync = unavailable("fs.writeSync");
export const writeFileSync = unavailable("fs.writeFileSync");
export const fstatSync = unavailable("fs.fstatSync");
export const statSync = unavailable("fs.statSync");
export const rmSync = unavailable("fs.rmSync");
export const renameSync = unavailable("fs.renameSync");
export const existsSync = unavailable("fs.existsSync");
export const readFileSync = unavailable("fs.readFileSync");
export const readdirSync = unavailable("fs.readdirSync");
export const crc32 = unavailable("zlib.crc32");
export const randomBytes = unavailable("crypto.randomBytes");
export const tmpdir = unavailable("os.tmpdir");
export const createRequire = unavailable("module.createRequire");
export const Worker = unavailable("worker_threads.Worker");
export const MessageChannel = unavailable("worker_threads.MessageChannel");
export const receiveMessageOnPort = unavailable("worker_threads.receiveMessageOnPort");
export const basename = unavailable("path.basename");
export const dirname = unavailable("path.dirname");
export const extname = unavailable("path.extname");
export const join = unavailable("path.join");
export const resolve = unavailable("path.resolve");
export const isAbsolute = unavailable("path.isAbsolute");
export const normalize = unavailable("path.normalize");
export default {};
