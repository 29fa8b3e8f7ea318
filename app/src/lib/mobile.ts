// Android's Mobile Wallet Adapter as a wallet-standard wallet: on Android browsers, registering
// it makes "Connect Mobile Wallet Adapter" appear beside any injected wallet, and connecting opens
// the wallet app installed on the phone (Phantom, Solflare, ...). Loaded only on Android, so other
// devices never download it.
export function registerMobileWalletAdapter(): void {
  if (!/Android/i.test(navigator.userAgent)) return;
  void import("@solana-mobile/wallet-standard-mobile").then(
    ({ createDefaultAuthorizationCache, createDefaultChainSelector, createDefaultWalletNotFoundHandler, registerMwa }) =>
      registerMwa({
        appIdentity: { name: "Proof of Brain", uri: location.origin, icon: "favicon.svg" },
        authorizationCache: createDefaultAuthorizationCache(),
        chains: ["solana:devnet", "solana:mainnet"],
        chainSelector: createDefaultChainSelector(),
        onWalletNotFound: createDefaultWalletNotFoundHandler(),
      }),
  );
}
