// Task specs: fetched from the task's URI and checked against its on-chain sha256 (a URI can
// move but never lie), and published through the endpoint's spec store (`pob serve`).
import type { TaskSpec } from "./answers";
import { equalBytes, sha256, toHex } from "./bytes";
import type { Config, FullTask } from "./chain";

const cache = new Map<string, TaskSpec>();

export async function fetchSpec(task: Pick<FullTask, "specHash" | "specUri">): Promise<TaskSpec> {
  const key = toHex(new Uint8Array(task.specHash));
  const cached = cache.get(key);
  if (cached) return cached;
  if (!task.specUri) throw new Error("the task publishes no spec URI");
  const response = await fetch(task.specUri);
  if (!response.ok) throw new Error(`cannot fetch the spec at ${task.specUri}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!equalBytes(await sha256(bytes), new Uint8Array(task.specHash))) {
    throw new Error(`the spec at ${task.specUri} does not match the task's spec hash`);
  }
  const spec = JSON.parse(new TextDecoder().decode(bytes)) as TaskSpec;
  cache.set(key, spec);
  return spec;
}

export type FieldError = { field: string; message: string };

/** Validates a spec with the endpoint (the CLI's own validator) and publishes it; returns its
 *  URI and hash, or the field errors. */
export async function publishSpec(
  config: Config,
  bytes: Uint8Array,
): Promise<{ uri: string; hash: Uint8Array } | { errors: FieldError[] }> {
  if (!config.faucet) {
    throw new Error("this endpoint has no spec store: publish the spec yourself and use the CLI (pob task create --spec-uri)");
  }
  const response = await fetch(`${config.rpcUrl}/pob/specs`, { method: "POST", body: bytes as Uint8Array<ArrayBuffer> });
  const body = (await response.json()) as { uri?: string; hash?: string; errors?: FieldError[]; error?: string };
  if (body.errors) return { errors: body.errors };
  if (!body.uri || !body.hash) throw new Error(body.error ?? `the spec store answered HTTP ${response.status}`);
  return { uri: body.uri, hash: await sha256(bytes) };
}
