import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { AppProvider } from "./ui/context";
import { loadConfig } from "./lib/chain";
import { registerMobileWalletAdapter } from "./lib/mobile";
import "./styles.css";

registerMobileWalletAdapter();
const root = createRoot(document.getElementById("root") as HTMLElement);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <AppProvider config={config}>
          <App />
        </AppProvider>
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">Cannot start: {String(error)}</p>),
);
