import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type BatchFileFormat, writeBatchFile } from "../batch/batchFile.ts";
import type { CredentialBatch } from "../batch/credentialBatch.ts";
import type { Anchor } from "../credential/credentialSchema.ts";
import { removeStaleTemporaryFiles } from "../fs/removeStaleTemporaryFiles.ts";
import { syncFileSystem, writeFileAtomically, writeLinesAtomically } from "../fs/writeAtomically.ts";

export type OutputFormat = "files" | "ndjson" | "both";

/** What is written for an anchored batch, whatever the credential format. */
export type IssuedFiles = {
  readonly outDir: string;
  readonly format: OutputFormat;
  readonly batch: CredentialBatch;
  /** The holder's file of leaf `index` (the credential with its anchor proof). */
  fileOf(index: number): object;
  /** What the batch file keeps of leaf `index` (what its leaf covers). */
  entryOf(index: number): object;
  readonly batchFileFormat: BatchFileFormat;
  /** The row position (CSV line, JSON index) of leaf `index`: names its file. */
  rowOf(index: number): number;
  readonly anchor: Anchor;
  readonly created: string;
  /**
   * Extra files per credential (a baked badge, say), from the credential file's text: name suffix → bytes, written
   * beside the JSON file (`files` and `both` formats only).
   */
  extrasOf?: ((index: number, fileText: string) => readonly { readonly suffix: string; readonly bytes: Uint8Array }[]) | undefined;
  readonly progress?: ((step: string, done: number, total: number) => void) | undefined;
  readonly checkpoint: (point: string) => void;
};

/** The file a credential is written to: named by the recipient's row (CSV line or JSON position), padded. */
export function credentialFileName(rowPosition: number): string {
  return `credential-${String(rowPosition).padStart(6, "0")}.json`;
}

/**
 * Writes every credential file (`credentials/`, each atomically, up to 64 at once, made durable together), or one
 * credentials.ndjson, or both, then the batch file. The same bytes on every rerun. Returns where each leaf went.
 */
export async function writeIssuedFiles(files: IssuedFiles): Promise<{ written: { leafIndex: number; filePath: string }[]; ndjsonFile: string | null }> {
  const { outDir, format, batch, checkpoint } = files;
  const leafCount = batch.leafCount;
  const credentialsDir = path.join(outDir, "credentials");
  const written: { leafIndex: number; filePath: string }[] = [];
  let ndjsonFile: string | null = null;
  await mkdir(credentialsDir, { recursive: true });
  // Temporary files of a run that crashed mid-write: never complete, never renamed; remove them.
  await removeStaleTemporaryFiles(credentialsDir);
  if (format === "files" || format === "both") {
    const synced: string[] = [];
    let next = 0;
    let done = 0;
    const writer = async () => {
      while (next < leafCount) {
        const index = next;
        next += 1;
        const filePath = path.join(credentialsDir, credentialFileName(files.rowOf(index)));
        // Made durable all at once below (syncfs), before the batch is marked written; a crash before that rewrites them.
        const fileText = `${JSON.stringify(files.fileOf(index), null, 2)}\n`;
        await writeFileAtomically(filePath, fileText, { removeStale: false, sync: false });
        synced.push(filePath);
        for (const extra of files.extrasOf?.(index, fileText) ?? []) {
          const extraPath = filePath.replace(/\.json$/, extra.suffix);
          await writeFileAtomically(extraPath, extra.bytes, { removeStale: false, sync: false });
          synced.push(extraPath);
        }
        written[index] = { leafIndex: index, filePath };
        done += 1;
        if (done === Math.floor(leafCount / 2)) checkpoint("during-files");
        if (done % 1000 === 0) files.progress?.("writing credential files", done, leafCount);
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, leafCount) }, writer));
    await syncFileSystem(credentialsDir, synced);
    files.progress?.("writing credential files", leafCount, leafCount);
  }
  if (format === "ndjson" || format === "both") {
    ndjsonFile = path.join(outDir, "credentials.ndjson");
    await writeLinesAtomically(
      ndjsonFile,
      (function* () {
        for (let index = 0; index < leafCount; index += 1) {
          yield JSON.stringify(files.fileOf(index));
          if (index === Math.floor(leafCount / 2)) checkpoint("during-files");
        }
      })(),
    );
    if (format === "ndjson") for (let index = 0; index < leafCount; index += 1) written.push({ leafIndex: index, filePath: `${ndjsonFile}#${index + 1}` });
  }
  await writeBatchFile(
    path.join(outDir, "batch.jsonl"),
    batch,
    (function* () {
      for (let index = 0; index < leafCount; index += 1) yield files.entryOf(index) as Record<string, unknown>;
    })(),
    { anchor: files.anchor, createdAt: files.created, format: files.batchFileFormat },
  );
  return { written, ndjsonFile };
}
