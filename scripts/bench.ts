// npm run bench: every performance figure of the project, each part in its own process (so that peak memory is
// measured per part). `npm run bench -- --write` also rewrites the figures block of docs/benchmarks.md.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);
const parts = ["scripts/bench/gas.ts", "scripts/bench/batch.ts", "scripts/bench/issue.ts", "scripts/bench/issueV2.ts", "scripts/bench/verify.ts", "scripts/bench/stack.ts", "scripts/bench/audit.ts", "scripts/bench/api.ts"];
const sections: string[] = [];
for (const part of parts) {
  const started = Date.now();
  const { stdout } = await run(process.execPath, [part], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: "0" } });
  sections.push(stdout.trim());
  console.log(stdout.trim());
  console.log(`\n(${part}: ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
if (process.argv.includes("--write")) {
  const file = new URL("../docs/benchmarks.md", import.meta.url);
  const current = await readFile(file, "utf8");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` (Node ${process.version}).`;
  await writeFile(file, current.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${stamp}\n\n${sections.join("\n\n")}\n${end}`));
  console.log("Updated docs/benchmarks.md");
}
