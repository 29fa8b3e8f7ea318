import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app with hot reload; point it at `pob serve` with ?rpc=http://127.0.0.1:8899.
export default defineConfig(({ mode }) => ({
  plugins: [react()],
  // The generated client reads process.env.NODE_ENV (Codama's convention); browsers have no process.
  define: { "process.env.NODE_ENV": JSON.stringify(mode === "production" ? "production" : "development") },
  build: { target: "es2022", sourcemap: false },
}));
