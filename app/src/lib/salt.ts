// Salts nobody can lose (PROTOCOL v2; cli/src/salt.rs): the salt of a worker's answer is
// sha256("pob-salt-v1" || signature) where `signature` is the wallet's Ed25519 signature of a
// fixed text naming the task. Ed25519 is deterministic, so any device with the wallet gets the
// same salt, and a wallet that shows the text before signing shows what it is for.
import { sha256, utf8 } from "./bytes";

export const answerSaltMessage = (task: string): string =>
  `Proof of Brain answer salt v1\ntask: ${task}\nSigning this moves no funds.`;

export const goldSaltMessage = (task: string): string =>
  `Proof of Brain gold salt v1\ntask: ${task}\nSigning this moves no funds.`;

export async function saltFromSignature(signature: Uint8Array): Promise<Uint8Array> {
  if (signature.length !== 64) throw new Error(`an Ed25519 signature has 64 bytes, got ${signature.length}`);
  return sha256(utf8("pob-salt-v1"), signature);
}
