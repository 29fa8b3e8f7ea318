// A wallet-standard wallet injected into the page (page.addInitScript) that signs with a test
// key: the app discovers it exactly as it discovers Phantom or Solflare. The key never leaves
// the test; the page signs with WebCrypto's Ed25519.
import { createPrivateKey, createPublicKey } from "node:crypto";
import { getBase58Decoder } from "@solana/kit";
import type { Page } from "@playwright/test";

export type TestKey = { seedHex: string; address: string; publicKeyHex: string };

/** A deterministic test key from a name (its seed is sha256-free: the name padded, for clarity). */
export function testKey(name: string): TestKey {
  const seed = Buffer.alloc(32);
  Buffer.from(`pob-test-${name}`).copy(seed);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const publicDer = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
  const publicKey = new Uint8Array(publicDer.subarray(publicDer.length - 32));
  return { seedHex: seed.toString("hex"), address: getBase58Decoder().decode(publicKey), publicKeyHex: Buffer.from(publicKey).toString("hex") };
}

/** Runs in the page before the app: registers "Test Wallet" with the wallet-standard registry. */
function injectedWallet(key: TestKey) {
  if (!globalThis.crypto?.subtle) return; // about:blank and other insecure contexts: no wallet
  const hex = (text: string) => new Uint8Array(text.match(/../g)!.map((byte) => parseInt(byte, 16)));
  const seed = hex(key.seedHex);
  const publicKey = hex(key.publicKeyHex);
  const pkcs8 = new Uint8Array([...hex("302e020100300506032b657004220420"), ...seed]);
  const privateKey = crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  const sign = async (bytes: Uint8Array) =>
    new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, await privateKey, bytes as Uint8Array<ArrayBuffer>));
  const chains = ["solana:localnet", "solana:devnet"] as const;
  const features = ["solana:signTransaction", "solana:signMessage"] as const;
  const account = { address: key.address, publicKey, chains, features, label: "Test" };
  const shortVec = (bytes: Uint8Array, at: number): [number, number] => {
    let value = 0;
    let size = 0;
    for (;;) {
      const byte = bytes[at + size]!;
      value |= (byte & 0x7f) << (7 * size);
      size += 1;
      if ((byte & 0x80) === 0) return [value, size];
    }
  };
  /** Signs a wire transaction: finds this key among the message's signers, signs the message. */
  async function signTransaction(wire: Uint8Array): Promise<Uint8Array> {
    const [count, countSize] = shortVec(wire, 0);
    const messageStart = countSize + 64 * count;
    const message = wire.slice(messageStart);
    const versioned = (message[0]! & 0x80) !== 0;
    const header = versioned ? 1 : 0;
    const required = message[header]!;
    const [, keysSize] = shortVec(message, header + 3);
    const keysStart = header + 3 + keysSize;
    for (let index = 0; index < required; index++) {
      const candidate = message.slice(keysStart + 32 * index, keysStart + 32 * (index + 1));
      if (candidate.every((byte, i) => byte === publicKey[i])) {
        const signed = wire.slice();
        signed.set(await sign(message), countSize + 64 * index);
        return signed;
      }
    }
    throw new Error("the test wallet is not a signer of this transaction");
  }
  const wallet = {
    version: "1.0.0",
    name: "Test Wallet",
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiLz4=",
    chains,
    accounts: [account],
    features: {
      "standard:connect": { version: "1.0.0", connect: async () => ({ accounts: [account] }) },
      "standard:events": { version: "1.0.0", on: () => () => undefined },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: async (...inputs: { transaction: Uint8Array }[]) =>
          Promise.all(inputs.map(async (input) => ({ signedTransaction: await signTransaction(input.transaction) }))),
      },
      "solana:signMessage": {
        version: "1.0.0",
        signMessage: async (...inputs: { message: Uint8Array }[]) =>
          Promise.all(inputs.map(async (input) => ({ signedMessage: input.message, signature: await sign(input.message) }))),
      },
    },
  };
  const register = (api: { register: (w: unknown) => void }) => api.register(wallet);
  window.addEventListener("wallet-standard:app-ready", (event) => register((event as CustomEvent).detail));
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: register }));
}

export async function injectTestWallet(page: Page, key: TestKey): Promise<void> {
  await page.addInitScript(injectedWallet, key);
}
