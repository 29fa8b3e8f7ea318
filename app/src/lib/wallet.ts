// Wallets: any wallet-standard wallet (Phantom, Solflare, Backpack, Android's Mobile Wallet
// Adapter all register through it), and on the embedded ledger a local test wallet kept in this
// browser's storage, so a newcomer can try everything without installing anything.
import { getWallets } from "@wallet-standard/app";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import { StandardConnect, type StandardConnectFeature } from "@wallet-standard/features";
import {
  SolanaSignMessage,
  SolanaSignTransaction,
  type SolanaSignMessageFeature,
  type SolanaSignTransactionFeature,
} from "@solana/wallet-standard-features";
import {
  address,
  createKeyPairFromPrivateKeyBytes,
  getAddressFromPublicKey,
  getTransactionDecoder,
  getTransactionEncoder,
  signBytes,
  signTransaction,
  type Address,
} from "@solana/kit";
import { fromHex, toHex } from "./bytes";

export type AppWallet = {
  address: Address;
  /** What the wallet is called, for the header. */
  name: string;
  signTransaction(transaction: Uint8Array): Promise<Uint8Array>;
  signMessage(message: Uint8Array): Promise<Uint8Array>;
};

/** Wallet-standard wallets that can sign Solana transactions and messages. */
export function standardWallets(): Wallet[] {
  return getWallets()
    .get()
    .filter((wallet) => SolanaSignTransaction in wallet.features && SolanaSignMessage in wallet.features && StandardConnect in wallet.features);
}

export function onWalletsChanged(listener: () => void): () => void {
  const wallets = getWallets();
  const off = [wallets.on("register", listener), wallets.on("unregister", listener)];
  return () => off.forEach((unsubscribe) => unsubscribe());
}

/** `silent`: only if the wallet already approved this site (no prompt), for reconnecting. */
export async function connectStandardWallet(wallet: Wallet, chain: string, silent: boolean): Promise<AppWallet> {
  const { accounts } = await (wallet.features[StandardConnect] as StandardConnectFeature[typeof StandardConnect]).connect({ silent });
  const account: WalletAccount | undefined = accounts[0];
  if (!account) throw new Error(`${wallet.name} gave no account`);
  const signer = wallet.features[SolanaSignTransaction] as SolanaSignTransactionFeature[typeof SolanaSignTransaction];
  const messages = wallet.features[SolanaSignMessage] as SolanaSignMessageFeature[typeof SolanaSignMessage];
  return {
    address: address(account.address),
    name: wallet.name,
    async signTransaction(transaction) {
      const [output] = await signer.signTransaction({ account, transaction, chain: chain as `${string}:${string}` });
      if (!output) throw new Error(`${wallet.name} returned no signed transaction`);
      return output.signedTransaction;
    },
    async signMessage(message) {
      const [output] = await messages.signMessage({ account, message });
      if (!output) throw new Error(`${wallet.name} returned no signature`);
      return output.signature;
    },
  };
}

const LOCAL_KEY = "pob.localWallet.v1";
export const LOCAL_NAME = "Local test wallet";

/** The local test wallet's secret, created on first use and kept in localStorage. */
export async function localWallet(create: boolean): Promise<AppWallet | null> {
  let secret = localStorage.getItem(LOCAL_KEY);
  if (!secret) {
    if (!create) return null;
    secret = toHex(crypto.getRandomValues(new Uint8Array(32)));
    localStorage.setItem(LOCAL_KEY, secret);
  }
  const keyPair = await createKeyPairFromPrivateKeyBytes(fromHex(secret) as Uint8Array<ArrayBuffer>);
  const own = await getAddressFromPublicKey(keyPair.publicKey);
  return {
    address: own,
    name: LOCAL_NAME,
    async signTransaction(bytes) {
      const transaction = getTransactionDecoder().decode(bytes);
      const signed = await signTransaction([keyPair], transaction as never);
      return new Uint8Array(getTransactionEncoder().encode(signed));
    },
    async signMessage(message) {
      return new Uint8Array(await signBytes(keyPair.privateKey, message as Uint8Array<ArrayBuffer>));
    },
  };
}

export const forgetLocalWallet = () => localStorage.removeItem(LOCAL_KEY);
export const hasLocalWallet = () => localStorage.getItem(LOCAL_KEY) !== null;
